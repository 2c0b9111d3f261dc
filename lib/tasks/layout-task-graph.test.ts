import dagre from "@dagrejs/dagre";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GRAPH_NODE_HEIGHT, GRAPH_NODE_WIDTH } from "./graph-node-size";
import {
  barycenterOrder,
  computeLayout,
  type GraphPositions,
  type LayoutInput,
  layoutKey,
  layoutTaskGraph,
} from "./layout-task-graph";

const diamond: LayoutInput[] = [
  { key: "a", dependsOn: [] },
  { key: "b", dependsOn: ["a"] },
  { key: "c", dependsOn: ["a"] },
  { key: "d", dependsOn: ["b", "c"] },
];

function overlaps(positions: GraphPositions): [string, string][] {
  const entries = Object.entries(positions);
  const found: [string, string][] = [];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [a, p] = entries[i]!;
      const [b, q] = entries[j]!;
      if (Math.abs(p.x - q.x) < GRAPH_NODE_WIDTH && Math.abs(p.y - q.y) < GRAPH_NODE_HEIGHT) {
        found.push([a, b]);
      }
    }
  }
  return found;
}

describe("computeLayout", () => {
  it.each([
    ["dagre's own ordering", Number.POSITIVE_INFINITY],
    ["the barycenter ordering of big graphs", 0],
  ])(
    "lays a diamond out left to right: each dependency left of its dependents (%s)",
    (_, fastOrderAbove) => {
      const p = computeLayout(diamond, { fastOrderAbove });
      expect(Object.keys(p).sort()).toEqual(["a", "b", "c", "d"]);
      expect(p.a!.x).toBeLessThan(p.b!.x);
      expect(p.a!.x).toBeLessThan(p.c!.x);
      expect(p.b!.x).toBeLessThan(p.d!.x);
      // The two middle tasks share a column, one above the other.
      expect(p.b!.x).toBe(p.c!.x);
      expect(Math.abs(p.b!.y - p.c!.y)).toBeGreaterThanOrEqual(GRAPH_NODE_HEIGHT);
      expect(overlaps(p)).toEqual([]);
    },
  );

  it("ignores dependencies on tasks that are not drawn", () => {
    const p = computeLayout([{ key: "x", dependsOn: ["missing"] }]);
    expect(Object.keys(p)).toEqual(["x"]);
  });

  it.each([
    ["dagre's own ordering", Number.POSITIVE_INFINITY],
    ["the barycenter ordering of big graphs", 0],
  ])(
    "keeps every edge pointing right and no two cards overlapping, for any DAG (%s)",
    (_, fastOrderAbove) => {
      const dag = fc
        .integer({ min: 1, max: 25 })
        .chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 2 }),
          ),
        )
        .map(([n, pairs]) => {
          const deps = Array.from({ length: n }, () => new Set<string>());
          // Only lower index -> higher index, so the graph is acyclic.
          for (const [a, b] of pairs) if (a < b) deps[b]!.add(`n${a}`);
          return deps.map((set, i) => ({ key: `n${i}`, dependsOn: [...set] }));
        });
      fc.assert(
        fc.property(dag, (nodes) => {
          const p = computeLayout(nodes, { fastOrderAbove });
          for (const node of nodes) {
            for (const dep of node.dependsOn) expect(p[dep]!.x).toBeLessThan(p[node.key]!.x);
          }
          expect(overlaps(p)).toEqual([]);
        }),
        { numRuns: 40 },
      );
    },
  );
});

describe("layoutTaskGraph", () => {
  it("gives the same key to the same shape in any order, and another to a changed edge", () => {
    const shuffled = [diamond[3]!, diamond[1]!, diamond[0]!, diamond[2]!].map((n) => ({
      ...n,
      dependsOn: [...n.dependsOn].reverse(),
    }));
    expect(layoutKey(shuffled)).toBe(layoutKey(diamond));
    const rewired = diamond.map((n) => (n.key === "d" ? { ...n, dependsOn: ["b"] } : n));
    expect(layoutKey(rewired)).not.toBe(layoutKey(diamond));
  });

  it("computes a shape once and recomputes when the shape changes", () => {
    const first = layoutTaskGraph(diamond);
    expect(layoutTaskGraph([...diamond].reverse())).toBe(first);
    const grown = [...diamond, { key: "e", dependsOn: ["d"] }];
    const second = layoutTaskGraph(grown);
    expect(second).not.toBe(first);
    expect(second.e!.x).toBeGreaterThan(second.d!.x);
  });
});

describe("barycenterOrder", () => {
  it("gives each rank the orders 0..n-1 and pulls parents of one child together", () => {
    const graph = new dagre.graphlib.Graph<unknown, { rank?: number; order?: number }, unknown>();
    for (const [v, rank] of [
      ["a", 0],
      ["b", 0],
      ["c", 0],
      ["x", 1],
      ["y", 1],
    ] as const) {
      graph.setNode(v, { rank });
    }
    // The walk from the sources gives a b c / y x, where c -> y crosses b -> x.
    graph.setEdge("a", "y");
    graph.setEdge("b", "x");
    graph.setEdge("c", "y");
    barycenterOrder(graph);
    const order = (v: string) => graph.node(v).order!;
    expect(["a", "b", "c"].map(order).sort()).toEqual([0, 1, 2]);
    expect(["x", "y"].map(order).sort()).toEqual([0, 1]);
    // y's parents sit side by side, x's parent beside x: no crossing left.
    expect(Math.abs(order("a") - order("c"))).toBe(1);
    expect(Math.sign(order("b") - order("c"))).toBe(Math.sign(order("x") - order("y")));
  });
});
