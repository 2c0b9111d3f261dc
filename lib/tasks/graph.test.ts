import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  blockingReasons,
  compareTaskKeys,
  criticalPath,
  DependencyCycleError,
  danglingDependencies,
  findCycle,
  type GraphNode,
  readySet,
  topologicalOrder,
} from "./graph";

const node = (key: string, ...dependsOn: string[]): GraphNode => ({ key, dependsOn });
const keys = (nodes: readonly GraphNode[]) => nodes.map((n) => n.key);

/** A random DAG: node i may depend only on nodes before it; the list is then shuffled. */
const dagArbitrary = (maxNodes = 12) =>
  fc
    .integer({ min: 1, max: maxNodes })
    .chain((size) =>
      fc.tuple(
        fc.tuple(
          ...Array.from({ length: size }, (_, i) =>
            fc.subarray(Array.from({ length: i }, (_, j) => String(j + 1))),
          ),
        ),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: size, maxLength: size }),
      ),
    )
    .map(([deps, weights]) =>
      deps.map((dependsOn, i) => ({ key: String(i + 1), dependsOn, weight: weights[i]! })),
    )
    // Shuffled so that no property relies on the generator's ordering.
    .chain((nodes) =>
      fc.shuffledSubarray(nodes, { minLength: nodes.length, maxLength: nodes.length }),
    );

function reachable(nodes: readonly GraphNode[], from: string): Set<string> {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const seen = new Set<string>();
  const stack = [...(byKey.get(from)?.dependsOn ?? [])];
  while (stack.length) {
    const key = stack.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    stack.push(...(byKey.get(key)?.dependsOn ?? []));
  }
  return seen;
}

function isClosedWalk(nodes: readonly GraphNode[], cycle: string[]): boolean {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  if (cycle.length < 2 || cycle[0] !== cycle[cycle.length - 1]) return false;
  return cycle.slice(0, -1).every((key, i) => byKey.get(key)?.dependsOn.includes(cycle[i + 1]!));
}

describe("compareTaskKeys", () => {
  it("orders keys the way tasks.md numbers them", () => {
    expect(["10", "2.1", "1", "2", "1.10", "1.2"].sort(compareTaskKeys)).toEqual([
      "1",
      "1.2",
      "1.10",
      "2",
      "2.1",
      "10",
    ]);
  });
});

describe("findCycle", () => {
  it("returns null for a DAG and ignores dangling dependencies", () => {
    expect(findCycle([node("1"), node("2", "1"), node("3", "1", "2", "9")])).toBeNull();
  });

  it("names a two-node cycle as a closed walk", () => {
    expect(findCycle([node("1", "3"), node("2", "1"), node("3", "1")])).toEqual(["1", "3", "1"]);
  });

  it("reports a self-dependency", () => {
    expect(findCycle([node("1"), node("2", "2")])).toEqual(["2", "2"]);
  });

  it("finds a cycle that only a later node reaches", () => {
    const nodes = [node("1"), node("2", "1", "4"), node("3", "2"), node("4", "3")];
    expect(findCycle(nodes)).toEqual(["2", "4", "3", "2"]);
  });

  it("handles long chains without recursion limits", () => {
    const chain = Array.from({ length: 20_000 }, (_, i) =>
      node(String(i + 1), ...(i ? [String(i)] : [])),
    );
    expect(findCycle(chain)).toBeNull();
    chain[0] = node("1", "20000");
    expect(findCycle(chain)).toHaveLength(20_001);
  });
});

describe("topologicalOrder", () => {
  it("puts dependencies first and breaks ties by key order", () => {
    const nodes = [node("3", "1"), node("2"), node("1"), node("1.1", "1"), node("10")];
    expect(keys(topologicalOrder(nodes))).toEqual(["1", "1.1", "2", "3", "10"]);
  });

  it("throws a DependencyCycleError naming the cycle", () => {
    const run = () => topologicalOrder([node("1", "2"), node("2", "1")]);
    expect(run).toThrow(DependencyCycleError);
    expect(run).toThrow("Dependency cycle: 1 -> 2 -> 1");
  });

  it("returns the caller's node objects", () => {
    const nodes = [{ key: "1", dependsOn: [], title: "Set up" }];
    expect(topologicalOrder(nodes)[0]).toBe(nodes[0]);
  });
});

describe("danglingDependencies", () => {
  it("lists dependencies on missing keys in input order", () => {
    expect(danglingDependencies([node("1", "7"), node("2", "1", "8")])).toEqual([
      { key: "1", dependency: "7" },
      { key: "2", dependency: "8" },
    ]);
  });
});

describe("readySet", () => {
  const nodes = [node("1"), node("2", "1"), node("3", "1", "2"), node("4", "9")];

  it("starts with the nodes that depend on nothing", () => {
    expect(keys(readySet(nodes, []))).toEqual(["1"]);
  });

  it("releases a node once all its dependencies are done, and never a done node", () => {
    expect(keys(readySet(nodes, ["1"]))).toEqual(["2"]);
    expect(keys(readySet(nodes, new Set(["1", "2"])))).toEqual(["3"]);
  });

  it("never releases a node with a dangling dependency", () => {
    expect(keys(readySet(nodes, ["1", "2", "3"]))).toEqual([]);
  });
});

describe("criticalPath", () => {
  it("follows the heaviest chain", () => {
    const nodes = [
      { key: "1", dependsOn: [], minutes: 30 },
      { key: "2", dependsOn: ["1"], minutes: 60 },
      { key: "3", dependsOn: ["1"], minutes: 120 },
      { key: "4", dependsOn: ["2", "3"], minutes: 15 },
      { key: "5", dependsOn: [], minutes: 100 },
    ];
    expect(criticalPath(nodes, (n) => n.minutes)).toEqual({ path: ["1", "3", "4"], length: 165 });
  });

  it("is empty for an empty graph", () => {
    expect(criticalPath([], () => 1)).toEqual({ path: [], length: 0 });
  });

  it("throws on a cycle", () => {
    expect(() => criticalPath([node("1", "1")], () => 1)).toThrow(DependencyCycleError);
  });
});

describe("blockingReasons", () => {
  it("maps each unfinished node to its unfinished dependencies", () => {
    const nodes = [node("1"), node("2", "1"), node("3", "1", "2"), node("4", "9")];
    const reasons = blockingReasons(nodes, { "1": "DONE", "2": "RUNNING", "3": "PENDING" });
    expect(reasons).toEqual(
      new Map([
        ["3", ["2"]],
        ["4", ["9"]],
      ]),
    );
  });

  it("accepts a Map and a custom notion of done", () => {
    const nodes = [node("1"), node("2", "1")];
    const statuses = new Map([["1", "CANCELLED"]]);
    expect(blockingReasons(nodes, statuses).get("2")).toEqual(["1"]);
    expect(blockingReasons(nodes, statuses, (s) => s === "CANCELLED" || s === "DONE").size).toBe(0);
  });
});

describe("graph properties", () => {
  it("a topological order contains every node once and respects every edge", () => {
    fc.assert(
      fc.property(dagArbitrary(), (nodes) => {
        const order = keys(topologicalOrder(nodes));
        expect([...order].sort(compareTaskKeys)).toEqual(keys(nodes).sort(compareTaskKeys));
        const position = new Map(order.map((key, i) => [key, i]));
        for (const n of nodes) {
          for (const dep of n.dependsOn)
            expect(position.get(dep)!).toBeLessThan(position.get(n.key)!);
        }
      }),
    );
  });

  it("the order does not depend on the input order", () => {
    fc.assert(
      fc.property(dagArbitrary(), (nodes) => {
        const sorted = [...nodes].sort((a, b) => compareTaskKeys(a.key, b.key));
        expect(keys(topologicalOrder(nodes))).toEqual(keys(topologicalOrder(sorted)));
      }),
    );
  });

  it("findCycle finds nothing in a DAG", () => {
    fc.assert(fc.property(dagArbitrary(), (nodes) => findCycle(nodes) === null));
  });

  it("a back edge creates a cycle that findCycle reports as a real closed walk", () => {
    fc.assert(
      fc.property(dagArbitrary(), fc.nat(), fc.nat(), (nodes, a, b) => {
        const withDeps = nodes.filter((n) => n.dependsOn.length > 0);
        fc.pre(withDeps.length > 0);
        const from = withDeps[a % withDeps.length]!;
        const ancestors = [...reachable(nodes, from.key)];
        const to = ancestors[b % ancestors.length]!;
        // `from` reaches `to`; making `to` depend on `from` closes a loop.
        const cyclic = nodes.map((n) =>
          n.key === to ? { ...n, dependsOn: [...n.dependsOn, from.key] } : n,
        );
        const cycle = findCycle(cyclic);
        expect(cycle).not.toBeNull();
        expect(isClosedWalk(cyclic, cycle!)).toBe(true);
        expect(() => topologicalOrder(cyclic)).toThrow(DependencyCycleError);
      }),
    );
  });

  it("readySet holds exactly the unfinished nodes whose dependencies are all done", () => {
    fc.assert(
      fc.property(dagArbitrary(), fc.func(fc.boolean()), (nodes, isDone) => {
        const done = new Set(keys(nodes).filter((key) => isDone(key)));
        const ready = new Set(keys(readySet(nodes, done)));
        for (const n of nodes) {
          const expected = !done.has(n.key) && n.dependsOn.every((dep) => done.has(dep));
          expect(ready.has(n.key)).toBe(expected);
        }
      }),
    );
  });

  it("blockingReasons lists exactly the unmet dependencies of unfinished nodes", () => {
    fc.assert(
      fc.property(dagArbitrary(), fc.func(fc.boolean()), (nodes, isDone) => {
        const statuses = Object.fromEntries(
          keys(nodes).map((key) => [key, isDone(key) ? "DONE" : "PENDING"]),
        );
        const reasons = blockingReasons(nodes, statuses);
        const ready = new Set(
          keys(
            readySet(
              nodes,
              keys(nodes).filter((k) => statuses[k] === "DONE"),
            ),
          ),
        );
        for (const n of nodes) {
          const unmet = n.dependsOn.filter((dep) => statuses[dep] !== "DONE");
          if (statuses[n.key] === "DONE" || unmet.length === 0)
            expect(reasons.has(n.key)).toBe(false);
          else expect(reasons.get(n.key)).toEqual(unmet);
          // Not done and not blocked is the same as ready.
          expect(ready.has(n.key)).toBe(statuses[n.key] !== "DONE" && !reasons.has(n.key));
        }
      }),
    );
  });

  it("the critical path is a real chain, at least as heavy as any node, and the heaviest path (brute force)", () => {
    fc.assert(
      fc.property(dagArbitrary(8), (nodes) => {
        const byKey = new Map(nodes.map((n) => [n.key, n]));
        const { path, length } = criticalPath(nodes, (n) => n.weight);

        expect(path.reduce((sum, key) => sum + byKey.get(key)!.weight, 0)).toBe(length);
        for (let i = 1; i < path.length; i++)
          expect(byKey.get(path[i]!)!.dependsOn).toContain(path[i - 1]);
        expect(length).toBeGreaterThanOrEqual(Math.max(...nodes.map((n) => n.weight)));

        // Every path ends at some node and walks back along dependencies.
        const heaviestEndingAt = (key: string): number =>
          byKey.get(key)!.weight + Math.max(0, ...byKey.get(key)!.dependsOn.map(heaviestEndingAt));
        expect(length).toBe(Math.max(...nodes.map((n) => heaviestEndingAt(n.key))));
      }),
    );
  });
});
