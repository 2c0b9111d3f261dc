import { createHash } from "node:crypto";
import dagre from "@dagrejs/dagre";

import { GRAPH_NODE_HEIGHT, GRAPH_NODE_WIDTH } from "./graph-node-size";

export interface LayoutInput {
  id: string;
  dependsOnIds: readonly string[];
}

/** Top-left corner of each node's card, by node id. */
export type GraphPositions = Record<string, { x: number; y: number }>;

/**
 * Left-to-right layered layout of a dependency graph with dagre: a dependency sits
 * left of its dependents. Pure; ids missing from `nodes` are ignored as edge ends.
 */
export function computeLayout(nodes: readonly LayoutInput[]): GraphPositions {
  const graph = new dagre.graphlib.Graph();
  // tight-tree ranks a few times faster than network-simplex on graphs of hundreds of
  // tasks (measured for bench/dashboard-graph.ts) and looks the same on task graphs,
  // whose edges mostly join neighbouring layers.
  graph.setGraph({
    rankdir: "LR",
    nodesep: 20,
    ranksep: 56,
    marginx: 16,
    marginy: 16,
    ranker: "tight-tree",
  });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(nodes.map((node) => node.id));
  for (const node of nodes) {
    graph.setNode(node.id, { width: GRAPH_NODE_WIDTH, height: GRAPH_NODE_HEIGHT });
  }
  for (const node of nodes) {
    for (const dep of node.dependsOnIds) if (ids.has(dep)) graph.setEdge(dep, node.id);
  }
  dagre.layout(graph);
  const positions: GraphPositions = {};
  for (const node of nodes) {
    const { x, y } = graph.node(node.id);
    positions[node.id] = {
      x: Math.round((x ?? 0) - GRAPH_NODE_WIDTH / 2),
      y: Math.round((y ?? 0) - GRAPH_NODE_HEIGHT / 2),
    };
  }
  return positions;
}

/** Same nodes and edges, in any order, give the same key; statuses play no part. */
export function layoutKey(nodes: readonly LayoutInput[]): string {
  const lines = nodes.map((node) => `${node.id}<${[...node.dependsOnIds].sort().join(",")}`);
  return createHash("sha256").update(lines.sort().join("\n")).digest("hex");
}

const CACHE_SIZE = 64;
const cache = new Map<string, GraphPositions>();

/**
 * `computeLayout`, remembered per graph shape: a live graph re-renders every few
 * seconds as statuses change, and only a change of nodes or edges moves anything.
 * A per-process cache is safe with many web servers: each computes the same layout.
 */
export function layoutTaskGraph(nodes: readonly LayoutInput[]): GraphPositions {
  const key = layoutKey(nodes);
  const hit = cache.get(key);
  if (hit) {
    // Least recently used goes first: re-insert on every hit.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const positions = computeLayout(nodes);
  cache.set(key, positions);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return positions;
}
