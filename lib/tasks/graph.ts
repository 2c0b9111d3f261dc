/**
 * Pure algorithms over a task dependency graph. A node lists the keys it
 * depends on; an edge runs from a node to each of its dependencies, so a
 * dependency comes before its dependents in execution order.
 *
 * Keys are assumed unique (`validateTasksContent` reports duplicates). A
 * dependency on a key that is not in the graph ("dangling") is ignored when
 * ordering and measuring, and never counts as done when scheduling.
 */

export interface GraphNode {
  key: string;
  dependsOn: readonly string[];
}

/** Thrown by the functions that need a DAG; `cycle` is closed ("1", "3", "1"). */
export class DependencyCycleError extends Error {
  readonly cycle: string[];

  constructor(cycle: string[]) {
    super(`Dependency cycle: ${cycle.join(" -> ")}`);
    this.name = "DependencyCycleError";
    this.cycle = cycle;
  }
}

/**
 * Orders task keys the way people number them: "2" < "2.1" < "10". Numeric
 * segments compare as numbers; anything else falls back to code-unit order so
 * the comparison stays total for arbitrary keys.
 */
export function compareTaskKeys(a: string, b: string): number {
  const left = a.split(".");
  const right = b.split(".");
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const x = left[i]!;
    const y = right[i]!;
    if (x === y) continue;
    const bothNumeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    if (bothNumeric && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  if (left.length !== right.length) return left.length - right.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function indexByKey<N extends GraphNode>(nodes: readonly N[]): Map<string, N> {
  const byKey = new Map<string, N>();
  for (const node of nodes) if (!byKey.has(node.key)) byKey.set(node.key, node);
  return byKey;
}

/**
 * The first dependency cycle found, as a closed walk along "depends on" edges
 * (`["1", "3", "1"]` means 1 depends on 3 and 3 on 1), or null for a DAG.
 * Deterministic: nodes and dependencies are explored in input order.
 */
export function findCycle<N extends GraphNode>(nodes: readonly N[]): string[] | null {
  const byKey = indexByKey(nodes);
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];

  // Iterative DFS: a graph from a model or an import can be deep enough to
  // make recursion a liability.
  for (const root of nodes) {
    if (state.has(root.key)) continue;
    const frames: { key: string; next: number }[] = [{ key: root.key, next: 0 }];
    state.set(root.key, "visiting");
    stack.push(root.key);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const deps = byKey.get(frame.key)!.dependsOn;
      if (frame.next >= deps.length) {
        state.set(frame.key, "done");
        stack.pop();
        frames.pop();
        continue;
      }
      const dep = deps[frame.next++]!;
      if (!byKey.has(dep)) continue;
      const seen = state.get(dep);
      if (seen === "visiting") return [...stack.slice(stack.indexOf(dep)), dep];
      if (seen === "done") continue;
      state.set(dep, "visiting");
      stack.push(dep);
      frames.push({ key: dep, next: 0 });
    }
  }
  return null;
}

/**
 * Nodes with every dependency before its dependents. Among nodes that are free
 * to go next, the smallest key (by `compareTaskKeys`) goes first, so the same
 * graph always yields the same order whatever order it arrived in.
 * Throws `DependencyCycleError` on a cycle.
 */
export function topologicalOrder<N extends GraphNode>(nodes: readonly N[]): N[] {
  const byKey = indexByKey(nodes);
  const remaining = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const node of byKey.values()) {
    const deps = new Set(node.dependsOn.filter((dep) => byKey.has(dep)));
    remaining.set(node.key, deps.size);
    for (const dep of deps) {
      const list = dependents.get(dep) ?? [];
      list.push(node.key);
      dependents.set(dep, list);
    }
  }

  const ready = [...byKey.keys()].filter((key) => remaining.get(key) === 0).sort(compareTaskKeys);
  const order: N[] = [];
  while (ready.length > 0) {
    const key = ready.shift()!;
    order.push(byKey.get(key)!);
    for (const dependent of dependents.get(key) ?? []) {
      const left = remaining.get(dependent)! - 1;
      remaining.set(dependent, left);
      if (left === 0) insertSorted(ready, dependent);
    }
  }

  if (order.length < byKey.size) {
    throw new DependencyCycleError(findCycle(nodes) ?? []);
  }
  return order;
}

function insertSorted(keys: string[], key: string): void {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compareTaskKeys(keys[mid]!, key) < 0) low = mid + 1;
    else high = mid;
  }
  keys.splice(low, 0, key);
}

/** Dependencies naming a key that is not in the graph, in input order. */
export function danglingDependencies<N extends GraphNode>(
  nodes: readonly N[],
): { key: string; dependency: string }[] {
  const keys = new Set(nodes.map((node) => node.key));
  return nodes.flatMap((node) =>
    node.dependsOn
      .filter((dep) => !keys.has(dep))
      .map((dependency) => ({ key: node.key, dependency })),
  );
}

/**
 * Nodes that may start now: not done themselves and every dependency done.
 * A dangling dependency is never done, so its dependent is never ready.
 */
export function readySet<N extends GraphNode>(
  nodes: readonly N[],
  doneKeys: Iterable<string>,
): N[] {
  const done = new Set(doneKeys);
  return nodes.filter(
    (node) => !done.has(node.key) && node.dependsOn.every((dep) => done.has(dep)),
  );
}

/**
 * The heaviest chain of dependencies (path weight = sum of node weights), from
 * its first node to its last: the least time the graph can take with unlimited
 * parallelism. Ties go to the chain found first in topological order.
 * Throws `DependencyCycleError` on a cycle.
 */
export function criticalPath<N extends GraphNode>(
  nodes: readonly N[],
  weight: (node: N) => number,
): { path: string[]; length: number } {
  const order = topologicalOrder(nodes);
  const keys = new Set(order.map((node) => node.key));
  const best = new Map<string, { length: number; previous: string | null }>();
  let end: string | null = null;
  let endLength = Number.NEGATIVE_INFINITY;

  for (const node of order) {
    let previous: string | null = null;
    let before = 0;
    for (const dep of node.dependsOn) {
      if (!keys.has(dep)) continue;
      const candidate = best.get(dep)!.length;
      if (previous === null || candidate > before) {
        previous = dep;
        before = candidate;
      }
    }
    const length = before + weight(node);
    best.set(node.key, { length, previous });
    if (length > endLength) {
      end = node.key;
      endLength = length;
    }
  }

  if (end === null) return { path: [], length: 0 };
  const path: string[] = [];
  for (let key: string | null = end; key !== null; key = best.get(key)!.previous) path.push(key);
  return { path: path.reverse(), length: endLength };
}

/**
 * For each node that is not done, the dependencies that are not done yet (a
 * dangling one included: it can never finish). Nodes with nothing blocking
 * them are left out. `isDone` decides which statuses count as finished.
 */
export function blockingReasons<N extends GraphNode>(
  nodes: readonly N[],
  statusByKey: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  isDone: (status: string | undefined) => boolean = (status) => status === "DONE",
): Map<string, string[]> {
  const statusOf = (key: string): string | undefined =>
    statusByKey instanceof Map
      ? statusByKey.get(key)
      : Object.hasOwn(statusByKey, key)
        ? (statusByKey as Readonly<Record<string, string>>)[key]
        : undefined;

  const reasons = new Map<string, string[]>();
  for (const node of nodes) {
    if (isDone(statusOf(node.key))) continue;
    const unmet = [...new Set(node.dependsOn)].filter((dep) => !isDone(statusOf(dep)));
    if (unmet.length > 0) reasons.set(node.key, unmet);
  }
  return reasons;
}
