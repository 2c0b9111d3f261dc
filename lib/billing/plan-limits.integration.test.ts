import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/app-error";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import { startRun } from "@/lib/execution/start-run";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import type { Actor } from "@/lib/orgs/roles";
import { createProject } from "@/lib/projects/create-project";
import { approvePhase } from "@/lib/specs/approve-phase";
import { createSpec } from "@/lib/specs/create-spec";
import { requestChanges } from "@/lib/specs/request-changes";
import { retrySpec } from "@/lib/specs/retry-spec";
import { startTicketSpec } from "@/lib/specs/start-ticket-spec";
import { recordingEngine } from "@/lib/specs/testing/pipeline-fixtures";
import { claimTasks } from "@/lib/tasks/claim-tasks";
import { completeTask } from "@/lib/tasks/finish-task";
import { retryTask } from "@/lib/tasks/retry-task";
import { createTaskScope, createTasks, type TaskScope } from "@/lib/tasks/testing/task-fixtures";
import { makeGitRepo } from "@/lib/testing/git-repo";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import { findBillingNotice } from "./find-billing-notice";
import { billingPeriod } from "./plans";
import { reconcileBillingMode } from "./reconcile-billing-mode";
import { syncSubscription } from "./sync-subscription";

let database: TestDatabase;
const db = () => database.db;

/** Billing on (a Stripe key set; nothing here calls Stripe) or off, as this server would have it. */
function setBilling(on: boolean) {
  if (on) process.env.STRIPE_SECRET_KEY = "sk_test_plan_limits";
  else delete process.env.STRIPE_SECRET_KEY;
  resetEnvForTests();
}
const savedKey = process.env.STRIPE_SECRET_KEY;

beforeAll(async () => {
  // Organizations signed up with billing on start on Free (see "with billing off" below).
  setBilling(true);
  database = await createTestDatabase();
});
afterAll(async () => {
  setJobEngine(undefined);
  if (savedKey === undefined) delete process.env.STRIPE_SECRET_KEY;
  else process.env.STRIPE_SECRET_KEY = savedKey;
  resetEnvForTests();
  await database?.drop();
});
beforeEach(async () => {
  setJobEngine(recordingEngine());
  // claimTasks serves every organization in the database: each test starts with an empty queue.
  await db().task.deleteMany();
});

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError)
      return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error("expected a refusal");
}

/** `count` Run rows of the organization, created at `at`. */
async function seedRuns(scope: TaskScope, count: number, at: Date) {
  await db().run.createMany({
    data: Array.from({ length: count }, () => ({
      orgId: scope.orgId,
      specId: scope.specId,
      status: "SUCCEEDED" as const,
      createdAt: at,
    })),
  });
}

describe("projects per plan", () => {
  it("refuses a second project on Free, naming the limit and the upgrade page, even when two are created at once", async () => {
    const owner = await createUserWithOrg(db(), "Ada");
    const attempts = await Promise.allSettled(
      ["One", "Two"].map((name) =>
        createProject(db(), { actor: owner.actor, input: { name, localPath: makeGitRepo() } }),
      ),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    const rejected = attempts.find((a) => a.status === "rejected") as PromiseRejectedResult;
    const error = rejected.reason as AppError;
    expect({ code: error.code, message: error.message, details: error.details }).toEqual({
      code: "LIMIT_REACHED",
      message: `The Free plan includes 1 project, and ${owner.org.name} has 1. Upgrade to add more.`,
      details: {
        limit: "projects",
        plan: "FREE",
        used: 1,
        allowed: 1,
        upgradeUrl: `http://localhost:3000/${owner.org.slug}/settings/billing`,
      },
    });
    expect(await db().project.count({ where: { orgId: owner.org.id } })).toBe(1);

    await db().organization.update({ where: { id: owner.org.id }, data: { plan: "PRO" } });
    await createProject(db(), {
      actor: owner.actor,
      input: { name: "Two", localPath: makeGitRepo() },
    });
    expect(await db().project.count({ where: { orgId: owner.org.id } })).toBe(2);
  });
});

describe("runs per month", () => {
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let actor: Actor;
  let scope: TaskScope;
  let ticketId: string;

  beforeAll(async () => {
    owner = await createUserWithOrg(db(), "Grace");
    actor = owner.actor;
    const fixture = await createProjectWithTicket(db(), actor);
    ticketId = fixture.ticket.id;
    scope = await createTaskScope(db(), { orgId: actor.orgId });
  });

  it("counts only this month's runs, then refuses every way of starting work with the same message", async () => {
    const { start } = billingPeriod(new Date());
    // Last month's runs do not count.
    await seedRuns(scope, 25, new Date(start.getTime() - 1000));
    await startTicketSpec(db(), { actor, input: { ticketId } });
    await seedRuns(scope, 20, new Date());

    const spec = await createSpec(db(), { actor, input: { ticketId } });
    const [failedTask] = await createTasks(db(), scope, 1, { status: "FAILED" });
    await db().spec.update({
      where: { id: spec.id },
      data: { state: "FAILED", failedPhase: "REQUIREMENTS" },
    });
    const resets = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" }).format(
      billingPeriod(new Date()).end,
    );
    const expected = {
      code: "LIMIT_REACHED",
      message: `${owner.org.name} has used all 20 runs of the Free plan this month. Upgrade for more runs, or wait until ${resets}.`,
      details: {
        limit: "runsPerMonth",
        plan: "FREE",
        used: 20,
        allowed: 20,
        upgradeUrl: `http://localhost:3000/${owner.org.slug}/settings/billing`,
      },
    };
    const starts: Record<string, () => Promise<unknown>> = {
      startTicketSpec: () => startTicketSpec(db(), { actor, input: { ticketId } }),
      approvePhase: () =>
        approvePhase(db(), { actor, input: { specId: spec.id, phase: "REQUIREMENTS" } }),
      requestChanges: () =>
        requestChanges(db(), {
          actor,
          input: { specId: spec.id, phase: "REQUIREMENTS", feedback: "More detail" },
        }),
      retrySpec: () => retrySpec(db(), { actor, input: { specId: spec.id } }),
      retryTask: () => retryTask(db(), { actor, taskId: failedTask! }),
    };
    for (const [name, start] of Object.entries(starts)) {
      expect({ name, ...(await refusal(start())) }).toEqual({ name, ...expected });
    }
    // Nothing changed: no new spec, the failed ones stay failed.
    expect(await db().spec.count({ where: { ticketId } })).toBe(2);
    expect((await db().task.findUniqueOrThrow({ where: { id: failedTask! } })).status).toBe(
      "FAILED",
    );
    expect(await findBillingNotice(db(), { orgId: actor.orgId })).toEqual({
      kind: "runsPerMonth",
      message:
        "All 20 runs of the Free plan are used this month, so queued tasks wait. Upgrade for more runs.",
      billingPage: true,
    });
  });
});

describe("with billing off", () => {
  beforeAll(() => setBilling(false));
  afterAll(() => setBilling(true));

  it("puts a new organization on Self-hosted: more than one project, and more than 20 runs a month", async () => {
    const owner = await createUserWithOrg(db(), "Linus");
    const org = await db().organization.findUniqueOrThrow({ where: { id: owner.org.id } });
    expect(org.plan).toBe("SELF_HOSTED");
    for (const name of ["One", "Two", "Three"]) {
      await createProject(db(), { actor: owner.actor, input: { name, localPath: makeGitRepo() } });
    }
    expect(await db().project.count({ where: { orgId: org.id } })).toBe(3);

    // 25 tasks, each claimed, started (its Run row) and completed, as the worker does.
    const scope = await createTaskScope(db(), { orgId: org.id });
    await createTasks(db(), scope, 25);
    let runs = 0;
    for (;;) {
      const claimed = await claimTasks(db(), { workerId: "w", limit: 4 });
      if (claimed.length === 0) break;
      for (const task of claimed) {
        await startRun(db(), { task, workerId: "w", branch: "b", actorKind: "AGENT" });
        await completeTask(db(), { taskId: task.id, workerId: "w" });
        runs += 1;
      }
    }
    expect(runs).toBe(25);
    expect(await db().run.count({ where: { orgId: org.id } })).toBe(25);
    expect(await findBillingNotice(db(), { orgId: org.id })).toBeNull();
    // Work still starts: a spec phase, and queued tasks.
    const { ticket } = await createProjectWithTicket(db(), owner.actor, "Four");
    await startTicketSpec(db(), { actor: owner.actor, input: { ticketId: ticket.id } });
    await createTasks(db(), scope, 2);
    expect(await claimTasks(db(), { workerId: "w", limit: 4 })).toHaveLength(2);
  });

  it("explains a limit of a plan kept from billing without a link to the billing page", async () => {
    const owner = await createUserWithOrg(db(), "Ken");
    await db().organization.update({ where: { id: owner.org.id }, data: { plan: "FREE" } });
    await createProject(db(), {
      actor: owner.actor,
      input: { name: "One", localPath: makeGitRepo() },
    });
    const refused = await refusal(
      createProject(db(), { actor: owner.actor, input: { name: "Two", localPath: makeGitRepo() } }),
    );
    expect(refused).toEqual({
      code: "LIMIT_REACHED",
      message: `The Free plan includes 1 project, and ${owner.org.name} has 1. Billing is off on this server, so the plan cannot be changed.`,
      details: { limit: "projects", plan: "FREE", used: 1, allowed: 1 },
    });
  });
});

describe("the billing mode at start-up", () => {
  it("moves Free organizations without a Stripe account to Self-hosted and back, and never a paying one", async () => {
    // The other tests' organizations out of the way: as if all were paying.
    await db().organization.updateMany({ data: { plan: "TEAM" } });
    const free = await createTaskScope(db(), { plan: "FREE", name: "Unbilled" });
    const customer = await createTaskScope(db(), { plan: "FREE", name: "Former customer" });
    await db().organization.update({
      where: { id: customer.orgId },
      data: { stripeCustomerId: "cus_former", subscriptionStatus: "CANCELED" },
    });
    const paying = await createTaskScope(db(), { plan: "PRO", name: "Paying" });
    await db().organization.update({
      where: { id: paying.orgId },
      data: {
        stripeCustomerId: "cus_paying",
        stripeSubscriptionId: "sub_paying",
        subscriptionStatus: "ACTIVE",
      },
    });
    const planOf = async (scope: TaskScope) =>
      (await db().organization.findUniqueOrThrow({ where: { id: scope.orgId } })).plan;
    const plansNow = async () => [await planOf(free), await planOf(customer), await planOf(paying)];

    // A Free organization's queued work waits for its one agent; once Self-hosted, it all starts.
    await createTasks(db(), free, 3);
    expect(await claimTasks(db(), { workerId: "w", limit: 5 })).toHaveLength(1);

    expect(await reconcileBillingMode(db(), { billingOn: false })).toEqual({
      toSelfHosted: 1,
      toFree: 0,
    });
    expect(await plansNow()).toEqual(["SELF_HOSTED", "FREE", "PRO"]);
    expect(await claimTasks(db(), { workerId: "w", limit: 5 })).toHaveLength(2);
    // Again: nothing left to move.
    expect(await reconcileBillingMode(db(), { billingOn: false })).toEqual({
      toSelfHosted: 0,
      toFree: 0,
    });

    expect(await reconcileBillingMode(db(), { billingOn: true })).toEqual({
      toSelfHosted: 0,
      toFree: 1,
    });
    expect(await plansNow()).toEqual(["FREE", "FREE", "PRO"]);
    expect(await reconcileBillingMode(db(), { billingOn: true })).toEqual({
      toSelfHosted: 0,
      toFree: 0,
    });
  });
});

describe("the scheduler", () => {
  it("keeps a Free organization to one agent at a time", async () => {
    const scope = await createTaskScope(db(), { plan: "FREE" });
    await createTasks(db(), scope, 3);
    expect(await claimTasks(db(), { workerId: "w", limit: 5 })).toHaveLength(1);
    expect(await claimTasks(db(), { workerId: "w", limit: 5 })).toEqual([]);
  });

  it("starts no more runs in a month than the plan allows, counting claims whose run is not written yet", async () => {
    const scope = await createTaskScope(db(), { plan: "PRO" });
    const now = new Date();
    await seedRuns(scope, 497, now);
    // Claimed a moment ago by a worker that has not written its Run row yet: it counts.
    await createTasks(db(), scope, 1, { status: "RUNNING" });
    const queued = await createTasks(db(), scope, 5);

    // 500 - 497 - 1 = 2 more runs this month, though 4 agents are free.
    const claimed = await claimTasks(db(), { workerId: "w", limit: 5, now });
    expect(claimed.map((t) => t.id)).toEqual(queued.slice(0, 2));
    expect(await claimTasks(db(), { workerId: "w", limit: 5, now })).toEqual([]);
    // It waits out of line until the next month, and is served then.
    const { end } = billingPeriod(now);
    const org = await db().organization.findUniqueOrThrow({ where: { id: scope.orgId } });
    expect(org.queueWakeAt).toEqual(end);
    expect(await db().task.count({ where: { orgId: scope.orgId, queueTag: { not: null } } })).toBe(
      0,
    );
    const nextMonth = await claimTasks(db(), {
      workerId: "w",
      limit: 5,
      now: new Date(end.getTime() + 1000),
    });
    // Three are running, so Pro's five agents leave room for two.
    expect(nextMonth.map((t) => t.id)).toEqual(queued.slice(2, 4));
  });

  it("starts nothing for an organization whose payment is overdue, and resumes when it is paid", async () => {
    const blocked = await createTaskScope(db(), { plan: "PRO", name: "Overdue" });
    await db().organization.update({
      where: { id: blocked.orgId },
      data: { subscriptionStatus: "PAST_DUE", stripeSubscriptionId: "sub_overdue" },
    });
    const other = await createTaskScope(db(), { plan: "PRO", name: "Paying" });
    const [waiting] = await createTasks(db(), blocked, 1);
    const [ready] = await createTasks(db(), other, 1);

    expect((await claimTasks(db(), { workerId: "w", limit: 5 })).map((t) => t.id)).toEqual([ready]);
    expect(await claimTasks(db(), { workerId: "w", limit: 5 })).toEqual([]);
    // Out of line: later claims do not even look at it.
    expect(
      await db().task.count({ where: { orgId: blocked.orgId, queueTag: { not: null } } }),
    ).toBe(0);

    await db().$transaction((tx) =>
      syncSubscription(tx, {
        orgId: blocked.orgId,
        subscription: {
          id: "sub_overdue",
          customerId: "cus_overdue",
          status: "active",
          priceId: null,
          currentPeriodEnd: null,
        },
      }),
    );
    expect((await claimTasks(db(), { workerId: "w", limit: 5 })).map((t) => t.id)).toEqual([
      waiting,
    ]);
  });
});
