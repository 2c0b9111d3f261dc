import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { Actor } from "@/lib/orgs/roles";
import { createTaskScope, type TaskScope } from "@/lib/tasks/testing/task-fixtures";
import { getCostSummary } from "./get-cost-summary";

let database: TestDatabase;
const db = () => database.db;
let ours: TaskScope;
let theirs: TaskScope;
let secondSpecId: string;
const actorOf = (scope: TaskScope): Actor => ({
  userId: "usr_x",
  orgId: scope.orgId,
  role: "VIEWER",
});

async function usage(
  scope: TaskScope,
  at: string,
  fields: { model: string; input: number; output: number; cost: string; specId?: string | null },
) {
  await db().usageRecord.create({
    data: {
      orgId: scope.orgId,
      specId: fields.specId === undefined ? scope.specId : fields.specId,
      role: "coder",
      model: fields.model,
      inputTokens: fields.input,
      outputTokens: fields.output,
      costUsd: fields.cost,
      createdAt: new Date(at),
    },
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  ours = await createTaskScope(db(), { name: "Ours" });
  theirs = await createTaskScope(db(), { name: "Theirs" });
  await db().spec.update({ where: { id: ours.specId }, data: { title: "Search" } });
  secondSpecId = (
    await db().spec.create({
      data: { orgId: ours.orgId, projectId: ours.projectId, title: "Billing", slug: "billing" },
    })
  ).id;

  const sonnet = "claude-sonnet-5-5";
  await usage(ours, "2026-03-01T10:00:00Z", {
    model: sonnet,
    input: 1000,
    output: 200,
    cost: "0.006",
  });
  // The last millisecond of the day still counts for that day (UTC).
  await usage(ours, "2026-03-01T23:59:59.999Z", {
    model: "claude-haiku-5-5",
    input: 500,
    output: 100,
    cost: "0.0001",
  });
  await usage(ours, "2026-03-03T00:00:00Z", {
    model: sonnet,
    input: 2000,
    output: 400,
    cost: "0.012",
    specId: secondSpecId,
  });
  await usage(ours, "2026-03-03T12:00:00Z", {
    model: "offline",
    input: 10,
    output: 10,
    cost: "0",
    specId: null,
  });
  // Just outside the period on either side.
  await usage(ours, "2026-02-28T23:59:59.999Z", { model: sonnet, input: 1, output: 1, cost: "1" });
  await usage(ours, "2026-03-04T00:00:00Z", { model: sonnet, input: 1, output: 1, cost: "1" });
  // Another organization's spending inside the period, on a model we also use.
  await usage(theirs, "2026-03-02T08:00:00Z", {
    model: sonnet,
    input: 9999,
    output: 9999,
    cost: "5",
  });
});
afterAll(async () => {
  await database?.drop();
});

describe("getCostSummary", () => {
  const range = { from: "2026-03-01", to: "2026-03-03" };

  it("adds up tokens and dollars of the period, per day with empty days as zeros", async () => {
    const summary = await getCostSummary(db(), { actor: actorOf(ours), input: range });
    expect(summary.range).toEqual(range);
    expect(summary.totals).toEqual({
      inputTokens: 3510,
      outputTokens: 710,
      costUsd: 0.0181,
      calls: 4,
    });
    expect(summary.byDay).toEqual([
      { day: "2026-03-01", inputTokens: 1500, outputTokens: 300, costUsd: 0.0061, calls: 2 },
      { day: "2026-03-02", inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 },
      { day: "2026-03-03", inputTokens: 2010, outputTokens: 410, costUsd: 0.012, calls: 2 },
    ]);
  });

  it("groups by model and by spec, most expensive first", async () => {
    const summary = await getCostSummary(db(), { actor: actorOf(ours), input: range });
    expect(summary.byModel.map((m) => [m.model, m.costUsd, m.calls])).toEqual([
      ["claude-sonnet-5-5", 0.018, 2],
      ["claude-haiku-5-5", 0.0001, 1],
      ["offline", 0, 1],
    ]);
    expect(summary.bySpec.map((s) => [s.specId, s.title, s.costUsd, s.inputTokens])).toEqual([
      [secondSpecId, "Billing", 0.012, 2000],
      [ours.specId, "Search", 0.0061, 1500],
      [null, "Not tied to a spec", 0, 10],
    ]);
  });

  it("never counts another organization's usage", async () => {
    const summary = await getCostSummary(db(), { actor: actorOf(theirs), input: range });
    expect(summary.totals).toEqual({ inputTokens: 9999, outputTokens: 9999, costUsd: 5, calls: 1 });
    expect(summary.bySpec.map((s) => s.specId)).toEqual([theirs.specId]);
    const mine = await getCostSummary(db(), {
      actor: actorOf(ours),
      input: { from: "2026-03-02", to: "2026-03-02" },
    });
    expect(mine.totals.calls).toBe(0);
    expect(mine.byModel).toEqual([]);
  });

  it("defaults to the last 30 days, today included", async () => {
    const scope = await createTaskScope(db(), { name: "Recent" });
    await usage(scope, new Date().toISOString(), { model: "m", input: 1, output: 2, cost: "0.5" });
    await usage(scope, new Date(Date.now() - 31 * 24 * 3600 * 1000).toISOString(), {
      model: "m",
      input: 1,
      output: 1,
      cost: "7",
    });
    const summary = await getCostSummary(db(), { actor: actorOf(scope), input: {} });
    expect(summary.byDay).toHaveLength(30);
    expect(summary.range.to).toBe(new Date().toISOString().slice(0, 10));
    expect(summary.totals).toMatchObject({ costUsd: 0.5, calls: 1 });
  });

  it("refuses a period that ends before it starts or is not a date", async () => {
    await expect(
      getCostSummary(db(), {
        actor: actorOf(ours),
        input: { from: "2026-03-05", to: "2026-03-01" },
      }),
    ).rejects.toThrow(/start is after the end/);
    await expect(
      getCostSummary(db(), { actor: actorOf(ours), input: { from: "2026-02-31x" } }),
    ).rejects.toThrow(/date/);
  });
});
