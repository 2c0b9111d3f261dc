import "server-only";
import { z } from "zod";
import {
  type UpdateModelRoutingInput,
  updateModelRouting,
} from "@/lib/agents/update-model-routing";
import type { CreateApiKeyInput, RevokeApiKeyInput } from "@/lib/api-keys/api-key-schema";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import {
  type CreateCheckoutSessionInput,
  createCheckoutSession,
} from "@/lib/billing/create-checkout-session";
import { createPortalSession } from "@/lib/billing/create-portal-session";
import type { UpdateCallbackHostsInput } from "@/lib/callbacks/callback-hosts-schema";
import {
  type ResendCallbackDeliveryInput,
  resendCallbackDelivery,
} from "@/lib/callbacks/resend-callback-delivery";
import { rotateCallbackSecret } from "@/lib/callbacks/rotate-callback-secret";
import { updateCallbackHosts } from "@/lib/callbacks/update-callback-hosts";
import type { Db } from "@/lib/db/client";
import type { SpecPhase } from "@/lib/generated/prisma/enums";
import {
  type DisconnectGithubInstallationInput,
  disconnectGithubInstallation,
} from "@/lib/github/disconnect-github-installation";
import { createIntakeRule } from "@/lib/intake/create-intake-rule";
import { deleteIntakeRule } from "@/lib/intake/delete-intake-rule";
import type { CreateIntakeRuleInput, DeleteIntakeRuleInput } from "@/lib/intake/intake-rule-schema";
import type { CreateInvitationInput } from "@/lib/orgs/create-invitation";
import { createInvitation } from "@/lib/orgs/create-invitation";
import type { RemoveMemberInput } from "@/lib/orgs/remove-member";
import { removeMember } from "@/lib/orgs/remove-member";
import type { RevokeInvitationInput } from "@/lib/orgs/revoke-invitation";
import { revokeInvitation } from "@/lib/orgs/revoke-invitation";
import type { Actor } from "@/lib/orgs/roles";
import type { UpdateMemberRoleInput } from "@/lib/orgs/update-member-role";
import { updateMemberRole } from "@/lib/orgs/update-member-role";
import { createProject } from "@/lib/projects/create-project";
import { deleteProject } from "@/lib/projects/delete-project";
import type { CreateProjectInput, UpdateProjectInput } from "@/lib/projects/project-schema";
import { updateProject } from "@/lib/projects/update-project";
import { type CreateRunnerInput, createRunner } from "@/lib/runners/create-runner";
import { revokeRunner } from "@/lib/runners/revoke-runner";
import { approvePhase } from "@/lib/specs/approve-phase";
import { cancelSpec } from "@/lib/specs/cancel-spec";
import { type EditArtifactInput, editArtifact } from "@/lib/specs/edit-artifact";
import {
  type EditArtifactMarkdownInput,
  editArtifactMarkdown,
} from "@/lib/specs/edit-artifact-markdown";
import { importSpec } from "@/lib/specs/import-spec";
import type { ImportSpecInput } from "@/lib/specs/import-spec-schema";
import { type RequestChangesInput, requestChanges } from "@/lib/specs/request-changes";
import { resumeSpecExecution } from "@/lib/specs/resume-spec-execution";
import { retrySpec } from "@/lib/specs/retry-spec";
import { type SetSpecBudgetInput, setSpecBudget } from "@/lib/specs/set-spec-budget";
import { startTicketSpec } from "@/lib/specs/start-ticket-spec";
import { cancelTask } from "@/lib/tasks/cancel-task";
import { type MoveTaskInput, moveTask } from "@/lib/tasks/move-task";
import { type ReorderTaskInput, reorderTask } from "@/lib/tasks/reorder-task";
import { retryTask } from "@/lib/tasks/retry-task";
import { createTicket } from "@/lib/tickets/create-ticket";
import type { CreateTicketInput, UpdateTicketInput } from "@/lib/tickets/ticket-schema";
import { updateTicket } from "@/lib/tickets/update-ticket";

const projectIdSchema = z.object({ projectId: z.string().min(1) });

/**
 * Every change a signed-in member can make inside an organization, by name.
 * The one server action (`orgAction`) dispatches here after resolving the actor;
 * each handler calls one domain function, which validates its input and checks the role.
 * Results are trimmed to what the browser needs.
 */
export const orgActionHandlers = {
  createProject: async (db: Db, actor: Actor, input: CreateProjectInput) => {
    const p = await createProject(db, { actor, input });
    return { id: p.id, slug: p.slug };
  },
  updateProject: async (db: Db, actor: Actor, input: UpdateProjectInput) => {
    const p = await updateProject(db, { actor, input });
    return { id: p.id, slug: p.slug };
  },
  deleteProject: async (db: Db, actor: Actor, input: { projectId: string }) => {
    const p = await deleteProject(db, { actor, projectId: projectIdSchema.parse(input).projectId });
    return { id: p.id };
  },
  createTicket: async (db: Db, actor: Actor, input: CreateTicketInput) => {
    const t = await createTicket(db, { actor, input });
    return { id: t.id, number: t.number };
  },
  updateTicket: async (db: Db, actor: Actor, input: UpdateTicketInput) => {
    const t = await updateTicket(db, { actor, input });
    return { id: t.id, status: t.status };
  },
  createInvitation: async (db: Db, actor: Actor, input: CreateInvitationInput) => {
    const inv = await createInvitation(db, { actor, input });
    return { id: inv.id, token: inv.token, role: inv.role, expiresAt: inv.expiresAt.toISOString() };
  },
  revokeInvitation: (db: Db, actor: Actor, input: RevokeInvitationInput) =>
    revokeInvitation(db, { actor, input }),
  updateMemberRole: (db: Db, actor: Actor, input: UpdateMemberRoleInput) =>
    updateMemberRole(db, { actor, input }),
  startTicketSpec: async (db: Db, actor: Actor, input: { ticketId: string }) => {
    const spec = await startTicketSpec(db, { actor, input });
    return { id: spec.id };
  },
  approvePhase: async (db: Db, actor: Actor, input: { specId: string; phase: SpecPhase }) => {
    const { next } = await approvePhase(db, { actor, input });
    return { nextPhase: next?.phase ?? null };
  },
  requestChanges: async (db: Db, actor: Actor, input: RequestChangesInput) => {
    const r = await requestChanges(db, { actor, input });
    return { version: r.version };
  },
  editArtifact: async (db: Db, actor: Actor, input: EditArtifactInput) => {
    const a = await editArtifact(db, { actor, input });
    return { version: a.version };
  },
  editArtifactMarkdown: async (db: Db, actor: Actor, input: EditArtifactMarkdownInput) => {
    const a = await editArtifactMarkdown(db, { actor, input });
    return { version: a.version };
  },
  importSpec: async (db: Db, actor: Actor, input: ImportSpecInput) => {
    const r = await importSpec(db, { actor, input });
    return { state: r.state, versions: r.versions };
  },
  cancelSpec: async (db: Db, actor: Actor, input: { specId: string }) => {
    const s = await cancelSpec(db, { actor, input });
    return { state: s.to };
  },
  retrySpec: async (db: Db, actor: Actor, input: { specId: string }) => {
    const r = await retrySpec(db, { actor, input });
    return { phase: r.phase };
  },
  setSpecBudget: async (db: Db, actor: Actor, input: SetSpecBudgetInput) => {
    const b = await setSpecBudget(db, { actor, input });
    return { budgetUsd: b.budgetUsd, spentUsd: b.spentUsd, paused: b.paused };
  },
  resumeSpecExecution: async (db: Db, actor: Actor, input: { specId: string }) => {
    const r = await resumeSpecExecution(db, { actor, input });
    return { queued: r.queued };
  },
  cancelTask: async (db: Db, actor: Actor, input: { taskId: string }) => {
    const t = await cancelTask(db, { actor, taskId: input?.taskId });
    return { status: t.status };
  },
  retryTask: async (db: Db, actor: Actor, input: { taskId: string }) => {
    const t = await retryTask(db, { actor, taskId: input?.taskId });
    return { status: t.status };
  },
  createRunner: async (db: Db, actor: Actor, input: CreateRunnerInput) => {
    const r = await createRunner(db, { actor, input });
    return { id: r.runner.id, name: r.runner.name, token: r.token };
  },
  revokeRunner: async (db: Db, actor: Actor, input: { runnerId: string }) => {
    const r = await revokeRunner(db, { actor, input });
    return { id: r.id };
  },
  removeMember: async (db: Db, actor: Actor, input: RemoveMemberInput) => {
    const m = await removeMember(db, { actor, input });
    return { id: m.id };
  },
  // Billing: each returns a Stripe-hosted URL (Checkout, customer portal) for the browser to open.
  startCheckout: (db: Db, actor: Actor, input: CreateCheckoutSessionInput) =>
    createCheckoutSession(db, { actor, input }),
  openBillingPortal: (db: Db, actor: Actor, _input: Record<string, never>) =>
    createPortalSession(db, { actor }),
  // API keys, intake policy and callbacks (Settings): admins and owners.
  createApiKey: async (db: Db, actor: Actor, input: CreateApiKeyInput) => {
    const k = await createApiKey(db, { actor, input });
    return { id: k.id, key: k.key, name: k.name, prefix: k.prefix };
  },
  revokeApiKey: async (db: Db, actor: Actor, input: RevokeApiKeyInput) => {
    const k = await revokeApiKey(db, { actor, input });
    return { id: k.id };
  },
  createIntakeRule: async (db: Db, actor: Actor, input: CreateIntakeRuleInput) => {
    const r = await createIntakeRule(db, { actor, input });
    return { id: r.id };
  },
  deleteIntakeRule: (db: Db, actor: Actor, input: DeleteIntakeRuleInput) =>
    deleteIntakeRule(db, { actor, input }),
  updateCallbackHosts: (db: Db, actor: Actor, input: UpdateCallbackHostsInput) =>
    updateCallbackHosts(db, { actor, input }),
  rotateCallbackSecret: (db: Db, actor: Actor, _input: Record<string, never>) =>
    rotateCallbackSecret(db, { actor }),
  resendCallbackDelivery: async (db: Db, actor: Actor, input: ResendCallbackDeliveryInput) => {
    const d = await resendCallbackDelivery(db, { actor, input });
    return { id: d.id, status: d.status };
  },
  updateModelRouting: (db: Db, actor: Actor, input: UpdateModelRoutingInput) =>
    updateModelRouting(db, { actor, input }),
  disconnectGithubInstallation: (db: Db, actor: Actor, input: DisconnectGithubInstallationInput) =>
    disconnectGithubInstallation(db, { actor, input }),
  // The board: drag-and-drop (and its keyboard menu) between columns and within one.
  moveTask: async (db: Db, actor: Actor, input: MoveTaskInput) => {
    const t = await moveTask(db, { actor, input });
    return { status: t.status, from: t.from };
  },
  reorderTask: async (db: Db, actor: Actor, input: ReorderTaskInput) => {
    const t = await reorderTask(db, { actor, input });
    return { rank: t.rank };
  },
};

export type OrgActionHandlers = typeof orgActionHandlers;
export type OrgActionName = keyof OrgActionHandlers;
export type OrgActionInput<K extends OrgActionName> = Parameters<OrgActionHandlers[K]>[2];
export type OrgActionOutput<K extends OrgActionName> = Awaited<ReturnType<OrgActionHandlers[K]>>;

export function isOrgActionName(name: unknown): name is OrgActionName {
  return typeof name === "string" && Object.hasOwn(orgActionHandlers, name);
}
