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
  return compareParsedKeys(parseTaskKey(a), parseTaskKey(b));
}

/** A key split once into its dot-separated segments, each with its number when it is all digits. */
interface ParsedKey {
  key: string;
  segments: { text: string; number: number | null }[];
}

function parseTaskKey(key: string): ParsedKey {
  return {
    key,
    segments: key
      .split(".")
      .map((text) => ({ text, number: /^\d+$/.test(text) ? Number(text) : null })),
  };
}

function compareParsedKeys(a: ParsedKey, b: ParsedKey): number {
  const length = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const x = a.segments[i]!;
    const y = b.segments[i]!;
    if (x.text === y.text) continue;
    if (x.number !== null && y.number !== null && x.number !== y.number) return x.number - y.number;
    return x.text < y.text ? -1 : 1;
  }
  if (a.segments.length !== b.segments.length) return a.segments.length - b.segments.length;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
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
 *
 * Kahn's algorithm over node indices: keys are ranked once (each parsed once),
 * and the nodes free to go wait in a binary heap by rank, so 10,000 tasks with
 * 50,000 dependencies order in milliseconds.
 */
export function topologicalOrder<N extends GraphNode>(nodes: readonly N[]): N[] {
  const unique = [...indexByKey(nodes).values()];
  const indexOf = new Map(unique.map((node, i) => [node.key, i]));
  const parsed = unique.map((node) => parseTaskKey(node.key));
  const byKeyOrder = unique
    .map((_, i) => i)
    .sort((a, b) => compareParsedKeys(parsed[a]!, parsed[b]!));
  const rank = new Int32Array(unique.length);
  byKeyOrder.forEach((node, position) => {
    rank[node] = position;
  });

  const remaining = new Int32Array(unique.length);
  const dependents: number[][] = unique.map(() => []);
  // lastDependent[d] === i: node i already counted its dependency d (a key listed twice).
  const lastDependent = new Int32Array(unique.length).fill(-1);
  unique.forEach((node, i) => {
    for (const dep of node.dependsOn) {
      const d = indexOf.get(dep);
      if (d === undefined || lastDependent[d] === i) continue;
      lastDependent[d] = i;
      remaining[i]!++;
      dependents[d]!.push(i);
    }
  });

  const ready = new RankHeap(rank);
  for (let i = 0; i < unique.length; i++) if (remaining[i] === 0) ready.push(i);
  const order: N[] = [];
  while (ready.size > 0) {
    const next = ready.pop();
    order.push(unique[next]!);
    for (const dependent of dependents[next]!) {
      if (--remaining[dependent]! === 0) ready.push(dependent);
    }
  }

  if (order.length < unique.length) {
    throw new DependencyCycleError(findCycle(nodes) ?? []);
  }
  return order;
}

/** A min-heap of node indices ordered by their rank. */
class RankHeap {
  readonly #items: number[] = [];
  constructor(private readonly rank: Int32Array) {}

  get size(): number {
    return this.#items.length;
  }

  push(item: number): void {
    const items = this.#items;
    let child = items.push(item) - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (this.rank[items[parent]!]! <= this.rank[item]!) break;
      items[child] = items[parent]!;
      child = parent;
    }
    items[child] = item;
  }

  pop(): number {
    const items = this.#items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      let parent = 0;
      for (;;) {
        const left = 2 * parent + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child =
          right < items.length && this.rank[items[right]!]! < this.rank[items[left]!]!
            ? right
            : left;
        if (this.rank[items[child]!]! >= this.rank[last]!) break;
        items[parent] = items[child]!;
        parent = child;
      }
      items[parent] = last;
    }
    return top;
  }
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
  /** `topologicalOrder(nodes)` when the caller already has it (it is the costly part). */
  order: readonly N[] = topologicalOrder(nodes),
): { path: string[]; length: number } {
  const position = new Map(order.map((node, i) => [node.key, i]));
  const length = new Float64Array(order.length);
  const previous = new Int32Array(order.length).fill(-1);
  let end = -1;

  order.forEach((node, i) => {
    let before = 0;
    for (const dep of node.dependsOn) {
      const d = position.get(dep);
      if (d === undefined) continue;
      if (previous[i] === -1 || length[d]! > before) {
        previous[i] = d;
        before = length[d]!;
      }
    }
    length[i] = before + weight(node);
    if (end === -1 || length[i]! > length[end]!) end = i;
  });

  if (end === -1) return { path: [], length: 0 };
  const path: string[] = [];
  for (let i = end; i !== -1; i = previous[i]!) path.push(order[i]!.key);
  return { path: path.reverse(), length: length[end]! };
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
