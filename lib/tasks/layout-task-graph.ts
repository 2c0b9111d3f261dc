import { createHash } from "node:crypto";
import dagre, { type graphlib } from "@dagrejs/dagre";
import { GRAPH_NODE_HEIGHT, GRAPH_NODE_WIDTH } from "./graph-node-size";

export interface LayoutInput {
  key: string;
  /** Keys of the nodes this one depends on (drawn to its left). */
  dependsOn: readonly string[];
}

/** Top-left corner of each node's card, by node key. */
export type GraphPositions = Record<string, { x: number; y: number }>;

/**
 * Above this many nodes dagre's crossing minimisation (its `order` step: 24 sweeps that
 * rebuild a graph per layer and count crossings each time) costs over a second on a
 * 500-task graph here; `barycenterOrder` does four plain sweeps instead.
 */
export const FAST_ORDER_ABOVE = 150;

type LayeredGraph = graphlib.Graph<unknown, { rank?: number; order?: number }, unknown>;

/**
 * Dagre's `customOrder` hook: give every node of the layered graph (dummy nodes of long
 * edges included) its `order` within its rank. Initial order by depth-first walk from the
 * sources (as dagre does), then alternate down and up sweeps placing each node at the mean
 * position of its neighbours in the layer before.
 */
export function barycenterOrder(graph: LayeredGraph): void {
  const layers: string[][] = [];
  const seen = new Set<string>();
  const rankOf = (v: string) => graph.node(v).rank ?? 0;
  const starts = graph.nodes().sort((a, b) => rankOf(a) - rankOf(b));
  for (const start of starts) {
    const stack = [start];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      const rank = rankOf(v);
      layers[rank] ??= [];
      layers[rank].push(v);
      const next = graph.successors(v) ?? [];
      for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
    }
  }
  const position = new Map<string, number>();
  const place = (layer: string[]) => {
    layer.forEach((v, i) => {
      position.set(v, i);
    });
  };
  for (const layer of layers) if (layer) place(layer);

  const ranks = layers.map((_, rank) => rank);
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0;
    for (const rank of down ? ranks.slice(1) : ranks.slice(0, -1).reverse()) {
      const layer = layers[rank];
      if (!layer) continue;
      const weight = new Map<string, number>();
      for (const v of layer) {
        const near = (down ? graph.predecessors(v) : graph.successors(v)) ?? [];
        weight.set(
          v,
          near.length > 0
            ? near.reduce((sum, n) => sum + position.get(n)!, 0) / near.length
            : position.get(v)!,
        );
      }
      layer.sort((a, b) => weight.get(a)! - weight.get(b)! || position.get(a)! - position.get(b)!);
      place(layer);
    }
  }
  for (const [v, order] of position) graph.node(v).order = order;
}

/**
 * Left-to-right layered layout of a dependency graph with dagre: a dependency sits
 * left of its dependents. Pure; dependencies on keys missing from `nodes` are ignored.
 */
export function computeLayout(
  nodes: readonly LayoutInput[],
  options: { fastOrderAbove?: number } = {},
): GraphPositions {
  const graph = new dagre.graphlib.Graph();
  // tight-tree ranks several times faster than network-simplex on graphs of hundreds of
  // tasks (bench/dashboard-graph.ts) and looks the same on task graphs, whose edges
  // mostly join neighbouring layers.
  graph.setGraph({
    rankdir: "LR",
    nodesep: 20,
    ranksep: 56,
    marginx: 16,
    marginy: 16,
    ranker: "tight-tree",
  });
  graph.setDefaultEdgeLabel(() => ({}));
  const keys = new Set(nodes.map((node) => node.key));
  for (const node of nodes) {
    graph.setNode(node.key, { width: GRAPH_NODE_WIDTH, height: GRAPH_NODE_HEIGHT });
  }
  for (const node of nodes) {
    for (const dep of node.dependsOn) if (keys.has(dep)) graph.setEdge(dep, node.key);
  }
  const fast = nodes.length > (options.fastOrderAbove ?? FAST_ORDER_ABOVE);
  dagre.layout(graph, fast ? { customOrder: (g) => barycenterOrder(g) } : {});
  const positions: GraphPositions = {};
  for (const node of nodes) {
    const { x, y } = graph.node(node.key);
    positions[node.key] = {
      x: Math.round((x ?? 0) - GRAPH_NODE_WIDTH / 2),
      y: Math.round((y ?? 0) - GRAPH_NODE_HEIGHT / 2),
    };
  }
  return positions;
}

/** Same nodes and edges, in any order, give the same key; statuses play no part. */
export function layoutKey(nodes: readonly LayoutInput[]): string {
  const lines = nodes.map((node) => `${node.key}<${[...node.dependsOn].sort().join(",")}`);
  return createHash("sha256").update(lines.sort().join("\n")).digest("hex");
}

const CACHE_SIZE = 64;
const cache = new Map<string, GraphPositions>();

/** The positions remembered for a graph shape (by layoutKey), if any; least recently used goes first. */
export function recallLayout(key: string): GraphPositions | undefined {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

/** Remembers the positions of a graph shape (by layoutKey) in this process; returns them. */
export function rememberLayout(key: string, positions: GraphPositions): GraphPositions {
  cache.set(key, positions);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return positions;
}

/**
 * `computeLayout`, remembered per graph shape: a live graph re-renders every few
 * seconds as statuses change, and only a change of nodes or edges moves anything.
 * A per-process cache is safe with many web servers: each computes the same layout.
 * A spec's own graph is also kept in the database (lib/tasks/spec-graph-layout.ts).
 */
export function layoutTaskGraph(nodes: readonly LayoutInput[]): GraphPositions {
  const key = layoutKey(nodes);
  return recallLayout(key) ?? rememberLayout(key, computeLayout(nodes));
}
