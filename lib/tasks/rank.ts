// Queue order for the board's drag-and-drop: a task's rank is a float, lower runs first, and a
// task dropped between two others takes the midpoint of their ranks. Pure.

/** The distance between neighbours after renumbering, and when a task goes to an end of the order. */
export const rankStep = 1024;

/**
 * A rank strictly between `above` (the task that will precede it) and `below`
 * (the one that will follow), either of which may be absent; null when there is
 * no such number (equal ranks, out of order, or a gap too small for a float).
 */
export function rankBetween(above: number | null, below: number | null): number | null {
  if (above === null && below === null) return 0;
  if (above === null) return (below as number) - rankStep;
  if (below === null) return above + rankStep;
  if (!(above < below)) return null;
  const middle = above + (below - above) / 2;
  return middle > above && middle < below ? middle : null;
}

/** Whether moving from `from` to `to` raises the task in the queue (a lower rank runs sooner). */
export function rankDirection(from: number, to: number): "up" | "down" {
  return to < from ? "up" : "down";
}

/**
 * The neighbours a task will have after it moves to `index` of `order` (ids in
 * queue order, the task itself included or not): the ids directly above and below.
 */
export function neighboursAt(
  order: readonly string[],
  taskId: string,
  index: number,
): { aboveId: string | null; belowId: string | null } {
  const others = order.filter((id) => id !== taskId);
  const at = Math.max(0, Math.min(index, others.length));
  return { aboveId: others[at - 1] ?? null, belowId: others[at] ?? null };
}

/**
 * `items` in their new order after the one with `id` moves next to its new
 * neighbours (directly after `aboveId`, else directly before `belowId`); the
 * board's optimistic view of a reorder before the server confirms it.
 */
export function placeBetween<T extends { id: string }>(
  items: readonly T[],
  id: string,
  neighbours: { aboveId: string | null; belowId: string | null },
): T[] {
  const moving = items.find((item) => item.id === id);
  if (!moving) return [...items];
  const rest = items.filter((item) => item.id !== id);
  let at: number;
  if (neighbours.aboveId) at = rest.findIndex((item) => item.id === neighbours.aboveId) + 1;
  else if (neighbours.belowId) at = rest.findIndex((item) => item.id === neighbours.belowId);
  else return [...items];
  if (at < 0 || (neighbours.aboveId && at === 0)) return [...items];
  return [...rest.slice(0, at), moving, ...rest.slice(at)];
}
