import { describe, expect, it } from "vitest";
import { buildTaskGraph, type GraphTaskInput, plannedTaskGraph } from "./build-task-graph";

const task = (
  key: string,
  dependsOn: string[],
  status: GraphTaskInput["status"],
  estimateMinutes: number | null = 10,
): GraphTaskInput => ({
  id: `t${key}`,
  key,
  title: `Task ${key}`,
  status,
  phase: "IMPLEMENTATION",
  estimateMinutes,
  attentionReason: null,
  dependsOnIds: dependsOn.map((dep) => `t${dep}`),
});

describe("buildTaskGraph", () => {
  it("blocks only waiting tasks, by their unfinished dependencies", () => {
    const graph = buildTaskGraph([
      task("1", [], "FAILED"),
      task("2", ["1"], "PENDING"),
      task("3", ["1"], "CANCELLED"),
      task("4", [], "DONE"),
      task("5", ["4"], "PENDING"),
    ]);
    const blockedBy = Object.fromEntries(graph.nodes.map((n) => [n.key, n.blockedBy]));
    expect(blockedBy).toEqual({
      "1": [],
      "2": [{ key: "1", status: "FAILED" }],
      "3": [],
      "4": [],
      // Every dependency done: ready to be queued, not blocked.
      "5": [],
    });
    expect(graph.edges.filter((e) => e.blocked).map((e) => e.id)).toEqual(["1->2"]);
    expect(graph.active).toBe(false);
  });

  it("counts a missing estimate as 30 minutes on the critical path", () => {
    const graph = buildTaskGraph([
      task("1", [], "DONE", 10),
      task("2", ["1"], "QUEUED", null),
      task("3", ["1"], "QUEUED", 25),
    ]);
    expect(graph.criticalPath).toEqual({ keys: ["1", "2"], minutes: 40 });
    expect(graph.active).toBe(true);
  });

  it("draws a cyclic graph as stored, without a critical path", () => {
    const graph = buildTaskGraph([task("1", ["2"], "PENDING"), task("2", ["1"], "PENDING")]);
    expect(graph.nodes.map((n) => n.key)).toEqual(["1", "2"]);
    expect(graph.edges).toHaveLength(2);
    expect(graph.criticalPath).toEqual({ keys: [], minutes: 0 });
  });

  it("leaves out dependencies on tasks it was not given", () => {
    const graph = buildTaskGraph([task("2", ["1"], "PENDING")]);
    expect(graph.edges).toEqual([]);
    expect(graph.nodes[0]!.dependsOn).toEqual([]);
  });
});

describe("plannedTaskGraph", () => {
  it("draws a task graph in review: keys as ids, nothing blocked, the critical path by estimate", () => {
    const graph = plannedTaskGraph([
      { key: "2", title: "B", phase: "IMPLEMENTATION", estimateMinutes: 50, dependsOn: ["1"] },
      { key: "1", title: "A", phase: "INITIAL", estimateMinutes: 5, dependsOn: [] },
      { key: "3", title: "C", phase: "IMPLEMENTATION", estimateMinutes: 20, dependsOn: ["1"] },
    ]);
    expect(graph.nodes.map((n) => [n.id, n.status, n.blockedBy])).toEqual([
      ["1", "PLANNED", []],
      ["2", "PLANNED", []],
      ["3", "PLANNED", []],
    ]);
    expect(graph.edges.map((e) => [e.id, e.blocked, e.running, e.critical])).toEqual([
      ["1->2", false, false, true],
      ["1->3", false, false, false],
    ]);
    expect(graph.criticalPath).toEqual({ keys: ["1", "2"], minutes: 55 });
  });
});
