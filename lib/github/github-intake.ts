// Transaction-level pieces of GitHub intake shared by the webhook handlers: the delivery row that
// deduplicates a delivery, the projects linked to a repository, who a GitHub user is in Trellis,
// and the ticket an issue becomes.
import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import { appUrl } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { applyCreateSpec } from "@/lib/specs/create-spec";
import type { SpecPhaseRequest } from "@/lib/specs/phase-event";
import { applyStartSpec } from "@/lib/specs/start-spec";
import { maxDescriptionLength } from "@/lib/tickets/ticket-schema";
import type { GithubSender } from "./github-webhook";

type Tx = Prisma.TransactionClient;

/**
 * Records the delivery; false when it was recorded before (a redelivery, or a concurrent copy
 * that committed first). Call it first in the transaction that does the delivery's work, so the
 * row and the work commit together or not at all.
 */
export async function claimGithubDelivery(
  tx: Tx,
  options: { deliveryId: string; event: string },
): Promise<boolean> {
  const { count } = await tx.webhookDelivery.createMany({
    data: [{ provider: "GITHUB", deliveryId: options.deliveryId, event: options.event }],
    skipDuplicates: true,
  });
  return count === 1;
}

/** Projects linked to `owner/name` through this installation (not suspended), in every org. */
export function linkedProjects(tx: Tx, options: { installationId: number; repository: string }) {
  return tx.project.findMany({
    where: {
      repoKind: "GITHUB",
      githubRepoFullName: { equals: options.repository, mode: "insensitive" },
      githubInstallation: { installationId: BigInt(options.installationId), suspendedAt: null },
    },
    select: {
      id: true,
      orgId: true,
      name: true,
      githubLabel: true,
      org: { select: { slug: true } },
    },
    orderBy: { createdAt: "asc" },
  });
}
export type LinkedProject = Awaited<ReturnType<typeof linkedProjects>>[number];

/**
 * How a GitHub user appears in activity: actorKind GITHUB with their login, and the Trellis user
 * who signed in with that GitHub account when they are a member of the organization.
 */
export async function githubActor(tx: Tx, options: { orgId: string; sender: GithubSender }) {
  const account = await tx.account.findFirst({
    where: {
      provider: "github",
      providerAccountId: String(options.sender.id),
      user: { memberships: { some: { orgId: options.orgId } } },
    },
    select: { userId: true },
  });
  return {
    actorId: account?.userId ?? null,
    actorKind: "GITHUB" as const,
    activityData: { githubLogin: options.sender.login },
  };
}
export type GithubActor = Awaited<ReturnType<typeof githubActor>>;

/**
 * The project's ticket for an issue, filed now (source GITHUB, linked to the issue) unless the
 * project already has one: an issue is filed once however often it is labelled.
 */
export async function fileIssueTicket(
  tx: Tx,
  options: {
    project: LinkedProject;
    issue: { number: number; title: string; body: string; url: string };
    label?: string;
    actor: GithubActor;
  },
) {
  const { project, issue, actor } = options;
  // Locking the project row serialises numbering, and two filings of one issue.
  await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${project.id} FOR UPDATE`;
  const existing = await tx.ticket.findUnique({
    where: {
      projectId_githubIssueNumber: { projectId: project.id, githubIssueNumber: issue.number },
    },
  });
  if (existing) return { ticket: existing, created: false };
  const last = await tx.ticket.findFirst({
    where: { projectId: project.id },
    orderBy: { number: "desc" },
    select: { number: true },
  });
  const title = issue.title.trim().slice(0, 200) || `GitHub issue #${issue.number}`;
  const ticket = await tx.ticket.create({
    data: {
      orgId: project.orgId,
      projectId: project.id,
      number: (last?.number ?? 0) + 1,
      title,
      description: issue.body.slice(0, maxDescriptionLength),
      labels: options.label ? [options.label.slice(0, 40)] : [],
      source: "GITHUB",
      githubIssueNumber: issue.number,
      githubIssueUrl: issue.url,
      createdById: actor.actorId,
    },
  });
  await recordActivity(tx, {
    orgId: project.orgId,
    type: "ticket.created",
    actorId: actor.actorId,
    actorKind: actor.actorKind,
    projectId: project.id,
    ticketId: ticket.id,
    data: {
      title: ticket.title,
      number: ticket.number,
      issue: issue.number,
      ...actor.activityData,
    },
  });
  return { ticket, created: true };
}

/** What a delivery's committed work leaves to do: phase runs to queue, statuses to send, a reply. */
export interface WebhookEffects {
  duplicate?: true;
  requests: SpecPhaseRequest[];
  notify: Array<{ orgId: string; specId: string }>;
  reply: string | null;
}

export const noEffects = (): WebhookEffects => ({ requests: [], notify: [], reply: null });

export const specUrl = (project: LinkedProject, specId: string) =>
  `${appUrl()}/${project.org.slug}/specs/${specId}`;

export const commandHelp =
  "Commands (write access needed): `/trellis run` starts the spec, `/trellis approve` approves the phase in review, `/trellis cancel` stops it.";

/** Opens a spec on the ticket and starts its requirements phase, as the GitHub user. */
export async function startIssueSpec(
  tx: Tx,
  options: { project: LinkedProject; ticketId: string; actor: GithubActor },
) {
  const { project, actor } = options;
  const spec = await applyCreateSpec(tx, {
    orgId: project.orgId,
    ticketId: options.ticketId,
    ...actor,
  });
  const request = await applyStartSpec(tx, { orgId: project.orgId, specId: spec.id, ...actor });
  return { spec, request };
}
