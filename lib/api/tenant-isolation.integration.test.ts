import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listActivity } from "@/lib/activity/list-activity";
import { AppError } from "@/lib/api/app-error";
import { type OrgActionName, orgActionHandlers } from "@/lib/api/org-action-handlers";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { resendCallbackDelivery } from "@/lib/callbacks/resend-callback-delivery";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { exportRunTrace } from "@/lib/execution/export-run-trace";
import { getRun } from "@/lib/execution/get-run";
import { getTaskDetail } from "@/lib/execution/get-task-detail";
import { listRunLogs } from "@/lib/execution/list-run-logs";
import { listRunTraceEvents } from "@/lib/execution/list-run-trace-events";
import { createIntakeRule } from "@/lib/intake/create-intake-rule";
import { getActor } from "@/lib/orgs/get-actor";
import type { Actor } from "@/lib/orgs/roles";
import { getProject } from "@/lib/projects/get-project";
import { listProjects } from "@/lib/projects/list-projects";
import { authenticateRunner } from "@/lib/runners/authenticate-runner";
import { createRunner } from "@/lib/runners/create-runner";
import { reportRunnerTask } from "@/lib/runners/report-runner-task";
import { approvePhase } from "@/lib/specs/approve-phase";
import { createSpec } from "@/lib/specs/create-spec";
import { exportSpec } from "@/lib/specs/export-spec";
import { getSpec } from "@/lib/specs/get-spec";
import { requestChanges } from "@/lib/specs/request-changes";
import { cancelTask } from "@/lib/tasks/cancel-task";
import { retryTask } from "@/lib/tasks/retry-task";
import { makeGitRepo } from "@/lib/testing/git-repo";
import { getTicket } from "@/lib/tickets/get-ticket";
import { listTickets } from "@/lib/tickets/list-tickets";
import { addMember, createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";

type Handler = (db: TestDatabase["db"], actor: Actor, input: unknown) => Promise<unknown>;
const call = (name: OrgActionName, db: TestDatabase["db"], actor: Actor, input: unknown) =>
  (orgActionHandlers[name] as Handler)(db, actor, input);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe("tenant isolation and roles", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let stranger: Awaited<ReturnType<typeof createUserWithOrg>>;
  let viewer: Actor;
  let fixture: Awaited<ReturnType<typeof createProjectWithTicket>>;
  let ownerMembershipId: string;
  let invitationId: string;
  let specId: string;
  let taskId: string;
  let runnerId: string;
  let apiKeyId: string;
  let intakeRuleId: string;
  let runId: string;
  let taskId2: string;
  let deliveryId: string;
  let githubInstallationId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = await createUserWithOrg(database.db, "Ada");
    stranger = await createUserWithOrg(database.db, "Mallory");
    viewer = (await addMember(database.db, owner.org.id, "VIEWER")).actor;
    fixture = await createProjectWithTicket(database.db, owner.actor);
    ownerMembershipId = (
      await database.db.membership.findFirstOrThrow({ where: { userId: owner.user.id } })
    ).id;
    const invitation = await call("createInvitation", database.db, owner.actor, { role: "MEMBER" });
    invitationId = (invitation as { id: string }).id;
    specId = (
      await createSpec(database.db, { actor: owner.actor, input: { ticketId: fixture.ticket.id } })
    ).id;
    taskId = (
      await database.db.task.create({
        data: {
          orgId: owner.org.id,
          projectId: fixture.project.id,
          specId,
          key: "1",
          title: "A task",
          status: "FAILED",
        },
      })
    ).id;
    runnerId = (
      await createRunner(database.db, { actor: owner.actor, input: { name: "Ada's box" } })
    ).runner.id;
    apiKeyId = (
      await createApiKey(database.db, { actor: owner.actor, input: { name: "CI", scope: "WRITE" } })
    ).id;
    intakeRuleId = (
      await createIntakeRule(database.db, {
        actor: owner.actor,
        input: { name: "No docs", effect: "DENY", field: "TYPE", pattern: "docs" },
      })
    ).id;
    runId = (
      await database.db.run.create({ data: { orgId: owner.org.id, taskId, status: "FAILED" } })
    ).id;
    taskId2 = (
      await database.db.task.create({
        data: {
          orgId: owner.org.id,
          projectId: fixture.project.id,
          specId,
          key: "2",
          title: "Another task",
        },
      })
    ).id;
    deliveryId = (
      await database.db.callbackDelivery.create({
        data: {
          orgId: owner.org.id,
          ticketId: fixture.ticket.id,
          url: "https://hooks.example.com/trellis",
          payload: { type: "ticket.done" },
          status: "FAILED",
          attempts: 8,
          lastError: "The receiver answered 500",
        },
      })
    ).id;
    // Found (or not) before GitHub is asked: this test configures no GitHub App.
    githubInstallationId = (
      await database.db.githubInstallation.create({
        data: {
          orgId: owner.org.id,
          installationId: 4242n,
          accountLogin: "acme",
          accountType: "Organization",
        },
      })
    ).id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  // Every server action, called with the first organization's ids. Adding an
  // action without listing it here fails the "covers every action" test.
  const foreignInputs: Record<OrgActionName, () => unknown> = {
    createProject: () => ({ name: "Mine", localPath: makeGitRepo() }), // no foreign id: creates in the caller's org
    updateProject: () => ({ projectId: fixture.project.id, name: "Hijacked" }),
    deleteProject: () => ({ projectId: fixture.project.id }),
    createTicket: () => ({ projectId: fixture.project.id, title: "Injected" }),
    updateTicket: () => ({ ticketId: fixture.ticket.id, title: "Hijacked", status: "CLOSED" }),
    createInvitation: () => ({ role: "MEMBER" }), // no foreign id: invites to the caller's org
    revokeInvitation: () => ({ invitationId }),
    updateMemberRole: () => ({ membershipId: ownerMembershipId, role: "VIEWER" }),
    removeMember: () => ({ membershipId: ownerMembershipId }),
    startTicketSpec: () => ({ ticketId: fixture.ticket.id }),
    approvePhase: () => ({ specId, phase: "REQUIREMENTS" }),
    requestChanges: () => ({ specId, phase: "REQUIREMENTS", feedback: "Hijacked" }),
    editArtifact: () => ({ specId, phase: "REQUIREMENTS", content: {} }),
    editArtifactMarkdown: () => ({
      specId,
      phase: "REQUIREMENTS",
      markdown: "# Requirements Document",
    }),
    importSpec: () => ({ specId, files: { "requirements.md": "# Requirements Document" } }),
    cancelSpec: () => ({ specId }),
    setSpecBudget: () => ({ specId, budgetUsd: 1 }),
    resumeSpecExecution: () => ({ specId }),
    createRunner: () => ({ name: "Mine" }), // no foreign id: registers in the caller's org
    revokeRunner: () => ({ runnerId }),
    cancelTask: () => ({ taskId }),
    retryTask: () => ({ taskId }),
    retrySpec: () => ({ specId }),
    startCheckout: () => ({ plan: "PRO" }), // no foreign id: the caller's own organization
    openBillingPortal: () => ({}), // no foreign id: the caller's own organization
    createApiKey: () => ({ name: "Mine", scope: "READ" }), // no foreign id: a key of the caller's org
    revokeApiKey: () => ({ apiKeyId }),
    createIntakeRule: () => ({ name: "Mine", effect: "DENY", field: "TAG", pattern: "x" }), // no foreign id
    deleteIntakeRule: () => ({ ruleId: intakeRuleId }),
    updateCallbackHosts: () => ({ hosts: ["hooks.internal"] }), // no foreign id: the caller's settings
    rotateCallbackSecret: () => ({}), // no foreign id
    resendCallbackDelivery: () => ({ deliveryId }),
    disconnectGithubInstallation: () => ({ installationId: githubInstallationId }),
    updateModelRouting: () => ({ models: { coder: { model: "claude-sonnet-5-5" } } }), // no foreign id
    moveTask: () => ({ taskId, to: "QUEUED" }),
    reorderTask: () => ({ taskId, aboveId: taskId2 }),
  };
  const withoutForeignId = new Set<OrgActionName>([
    "createProject",
    "createInvitation",
    "createRunner",
    "startCheckout",
    "openBillingPortal",
    "createApiKey",
    "createIntakeRule",
    "updateCallbackHosts",
    "rotateCallbackSecret",
    "updateModelRouting",
  ]);

  it("covers every server action", () => {
    expect(Object.keys(foreignInputs).sort()).toEqual(Object.keys(orgActionHandlers).sort());
  });

  it("answers NOT_FOUND to another organization's ids on every action, and changes nothing", async () => {
    for (const name of Object.keys(foreignInputs) as OrgActionName[]) {
      if (withoutForeignId.has(name)) continue;
      expect({
        name,
        code: await codeOf(call(name, database.db, stranger.actor, foreignInputs[name]())),
      }).toEqual({
        name,
        code: "NOT_FOUND",
      });
    }
    const project = await database.db.project.findUniqueOrThrow({
      where: { id: fixture.project.id },
    });
    expect(project.name).toBe("Web");
    const ticket = await database.db.ticket.findUniqueOrThrow({ where: { id: fixture.ticket.id } });
    expect(ticket).toMatchObject({ title: "Add search", status: "OPEN" });
    expect(await database.db.ticket.count({ where: { projectId: fixture.project.id } })).toBe(1);
    const membership = await database.db.membership.findUniqueOrThrow({
      where: { id: ownerMembershipId },
    });
    expect(membership.role).toBe("OWNER");
    const invitation = await database.db.invitation.findUniqueOrThrow({
      where: { id: invitationId },
    });
    expect(invitation.revokedAt).toBeNull();
    expect((await database.db.spec.findUniqueOrThrow({ where: { id: specId } })).state).toBe(
      "DRAFT",
    );
    expect((await database.db.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe(
      "FAILED",
    );
    expect(
      (await database.db.apiKey.findUniqueOrThrow({ where: { id: apiKeyId } })).revokedAt,
    ).toBeNull();
    expect(await database.db.intakeRule.count({ where: { id: intakeRuleId } })).toBe(1);
    expect((await database.db.task.findUniqueOrThrow({ where: { id: taskId } })).rank).toBe(0);
    expect(
      await database.db.callbackDelivery.findUniqueOrThrow({ where: { id: deliveryId } }),
    ).toMatchObject({ status: "FAILED", attempts: 8 });
    expect(await database.db.githubInstallation.count({ where: { orgId: owner.org.id } })).toBe(1);
  });

  it("hides another organization's rows from every read", async () => {
    expect(
      await codeOf(
        getProject(database.db, { actor: stranger.actor, projectId: fixture.project.id }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(getTicket(database.db, { actor: stranger.actor, ticketId: fixture.ticket.id })),
    ).toBe("NOT_FOUND");
    expect(await listProjects(database.db, { actor: stranger.actor })).toEqual([]);
    const tickets = await listTickets(database.db, {
      actor: stranger.actor,
      input: { projectId: fixture.project.id },
    });
    expect(tickets.items).toEqual([]);
    const activity = await listActivity(database.db, { actor: stranger.actor, input: {} });
    expect(activity.items.every((e) => e.project?.id !== fixture.project.id)).toBe(true);
  });

  it("lets a viewer read but refuses every change with FORBIDDEN", async () => {
    expect(
      (await getProject(database.db, { actor: viewer, projectId: fixture.project.id })).id,
    ).toBe(fixture.project.id);
    for (const name of Object.keys(foreignInputs) as OrgActionName[]) {
      expect({
        name,
        code: await codeOf(call(name, database.db, viewer, foreignInputs[name]())),
      }).toEqual({ name, code: "FORBIDDEN" });
    }
    expect(await database.db.project.count({ where: { orgId: owner.org.id } })).toBe(1);
  });

  // Every route handler whose path takes an id, by its folder under app/, as the
  // domain read it makes, called by a stranger with the first organization's ids.
  const foreignRouteReads: Record<string, () => Promise<unknown>> = {
    "(app)/[org]/specs/[specId]/export": () =>
      exportSpec(database.db, { actor: stranger.actor, specId }),
    "api/runner/v1/tasks/[taskId]/[event]": async () => {
      const { token } = await createRunner(database.db, {
        actor: stranger.actor,
        input: { name: "Mallory's box" },
      });
      const runner = await authenticateRunner(database.db, `Bearer ${token}`);
      return reportRunnerTask(database.db, {
        runner,
        taskId,
        event: "heartbeat",
        body: { attempt: 1, runId: "run_x", leaseMs: 3000 },
      });
    },
    "api/orgs/[org]/runs/[runId]/trace": () =>
      exportRunTrace(database.db, { actor: stranger.actor, runId }),
    // The route answers this NOT_FOUND as 403 (a refused subscription; see its comment).
    "api/orgs/[org]/events": () =>
      getActor(database.db, { userId: stranger.user.id, orgSlug: owner.org.slug }),
    // The REST API (app/api/v1): each route with an id, as the domain call it makes. The contract
    // test (app/api/v1/contract.integration.test.ts) calls these routes with another org's key too.
    "api/v1/projects/[projectId]": () =>
      getProject(database.db, { actor: stranger.actor, projectId: fixture.project.id }),
    "api/v1/tickets/[ticketId]": () =>
      getTicket(database.db, { actor: stranger.actor, ticketId: fixture.ticket.id }),
    "api/v1/specs/[specId]": () => getSpec(database.db, { actor: stranger.actor, specId }),
    "api/v1/specs/[specId]/approve": () =>
      approvePhase(database.db, {
        actor: stranger.actor,
        input: { specId, phase: "REQUIREMENTS" },
      }),
    "api/v1/specs/[specId]/request-changes": () =>
      requestChanges(database.db, {
        actor: stranger.actor,
        input: { specId, phase: "REQUIREMENTS", feedback: "Hijacked" },
      }),
    "api/v1/specs/[specId]/export": () =>
      exportSpec(database.db, { actor: stranger.actor, specId }),
    "api/v1/tasks/[taskId]": () =>
      getTaskDetail(database.db, { actor: stranger.actor, taskId, logLimit: 0 }),
    "api/v1/tasks/[taskId]/cancel": () =>
      cancelTask(database.db, { actor: stranger.actor, taskId }),
    "api/v1/tasks/[taskId]/retry": () => retryTask(database.db, { actor: stranger.actor, taskId }),
    "api/v1/runs/[runId]": () => getRun(database.db, { actor: stranger.actor, runId }),
    "api/v1/runs/[runId]/logs": () =>
      listRunLogs(database.db, { actor: stranger.actor, input: { runId } }),
    "api/v1/runs/[runId]/trace": () =>
      listRunTraceEvents(database.db, { actor: stranger.actor, input: { runId } }),
    "api/v1/callback-deliveries/[deliveryId]/resend": () =>
      resendCallbackDelivery(database.db, { actor: stranger.actor, input: { deliveryId } }),
    // The palette's search and the timeline's pages: the only id is the organization's slug.
    "(app)/[org]/search": () =>
      getActor(database.db, { userId: stranger.user.id, orgSlug: owner.org.slug }),
    "(app)/[org]/activity/feed": () =>
      getActor(database.db, { userId: stranger.user.id, orgSlug: owner.org.slug }),
  };

  it("has no route handler with an id that this test does not walk", async () => {
    const routes: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else if (entry === "route.ts") routes.push(path.relative("app", dir));
      }
    };
    walk("app");
    const withIds = routes.filter((r) => /\[(?!\.\.\.nextauth)/.test(r));
    expect(withIds.sort()).toEqual(Object.keys(foreignRouteReads).sort());
    for (const [route, read] of Object.entries(foreignRouteReads)) {
      expect({ route, code: await codeOf(read()) }).toEqual({ route, code: "NOT_FOUND" });
    }
  });
});
