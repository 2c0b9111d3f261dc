import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import { approvePhase } from "@/lib/specs/approve-phase";
import { runSpecPhase } from "@/lib/specs/run-spec-phase";
import {
  memoSteps,
  offlineProvider,
  recordingEngine,
  specRunning,
} from "@/lib/specs/testing/pipeline-fixtures";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import { getTaskGraph } from "./get-task-graph";
import { computeLayout, layoutKey } from "./layout-task-graph";
import { createTaskGraph, createTaskScope } from "./testing/task-fixtures";

let database: TestDatabase;
const db = () => database.db;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  setJobEngine(undefined);
  await database?.drop();
});
beforeEach(() => {
  setJobEngine(recordingEngine());
});

/** specGraphLayout as a freshly started web server has it: nothing remembered in memory. */
async function freshServerLayout() {
  vi.resetModules();
  return (await import("./spec-graph-layout")).specGraphLayout;
}

describe("a spec's graph layout", () => {
  it("is laid out when the task graph is approved, and read back by a restarted server", async () => {
    const { actor } = await createUserWithOrg(db());
    const { ticket } = await createProjectWithTicket(db(), actor);
    const request = await specRunning(db(), { actor, ticketId: ticket.id, phase: "TASKS" });
    await runSpecPhase(db(), { request, step: memoSteps(), provider: offlineProvider() });
    await approvePhase(db(), { actor, input: { specId: request.specId, phase: "TASKS" } });

    const graph = await getTaskGraph(db(), { actor, input: { specId: request.specId } });
    const stored = await db().spec.findUniqueOrThrow({ where: { id: request.specId } });
    // Kept for exactly the graph the page draws, where computing it would put it.
    expect(stored.graphLayoutKey).toBe(layoutKey(graph.nodes));
    expect(stored.graphLayout).toEqual(computeLayout(graph.nodes));

    // A restarted server reads it (a moved card proves it did not lay the graph out again).
    const key = graph.nodes[0]!.key;
    const moved = { ...(stored.graphLayout as object), [key]: { x: 4242, y: 99 } };
    await db().spec.update({ where: { id: stored.id }, data: { graphLayout: moved } });
    const specGraphLayout = await freshServerLayout();
    const positions = await specGraphLayout(db(), {
      orgId: actor.orgId,
      specId: stored.id,
      nodes: graph.nodes,
    });
    expect(positions[key]).toEqual({ x: 4242, y: 99 });
  });

  it("is laid out and kept on first use for a spec that has none, or whose graph changed", async () => {
    const scope = await createTaskScope(db());
    const nodes = [
      { key: "1", dependsOn: [] },
      { key: "2", dependsOn: ["1"] },
      { key: "3", dependsOn: ["1"] },
    ];
    await createTaskGraph(db(), scope, nodes);
    await db().spec.update({
      where: { id: scope.specId },
      data: { graphLayout: { "1": { x: 0, y: 0 } }, graphLayoutKey: "an older shape" },
    });
    const specGraphLayout = await freshServerLayout();
    const positions = await specGraphLayout(db(), { ...scope, nodes });
    expect(positions).toEqual(computeLayout(nodes));
    const stored = await db().spec.findUniqueOrThrow({ where: { id: scope.specId } });
    expect(stored.graphLayoutKey).toBe(layoutKey(nodes));
    expect(stored.graphLayout).toEqual(positions);
  });

  it("never reads or writes another organization's spec", async () => {
    const mine = await createTaskScope(db(), { name: "Mine" });
    const theirs = await createTaskScope(db(), { name: "Theirs" });
    const nodes = [{ key: "1", dependsOn: [] }];
    await db().spec.update({
      where: { id: theirs.specId },
      data: { graphLayout: { "1": { x: 7, y: 7 } }, graphLayoutKey: layoutKey(nodes) },
    });
    const specGraphLayout = await freshServerLayout();
    const positions = await specGraphLayout(db(), {
      orgId: mine.orgId,
      specId: theirs.specId,
      nodes,
    });
    expect(positions).toEqual(computeLayout(nodes));
    const untouched = await db().spec.findUniqueOrThrow({ where: { id: theirs.specId } });
    expect(untouched.graphLayout).toEqual({ "1": { x: 7, y: 7 } });
  });
});
