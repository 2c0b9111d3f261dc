"use client";

import {
  type Announcements,
  type CollisionDetection,
  closestCorners,
  DndContext,
  type DragEndEvent,
  type DragOverEvent,
  DragOverlay,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  type UniqueIdentifier,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { SortableContext, verticalListSortingStrategy } from "@dnd-kit/sortable";
import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useOptimistic,
  useRef,
  useState,
  useTransition,
} from "react";
import { toast } from "sonner";
import { orgAction } from "@/app/(app)/[org]/_actions/org-action";
import type { TaskStatus } from "@/lib/generated/prisma/enums";
import type { BoardSpec, BoardTask } from "@/lib/tasks/list-board-tasks";
import {
  movedTaskName,
  planManualMove,
  refusedMoveMessage,
  taskStatusLabels,
} from "@/lib/tasks/manual-move";
import { neighboursAt, placeBetween } from "@/lib/tasks/rank";
import { cn } from "@/lib/utils/cn";
import {
  type BoardView,
  type ColumnDef,
  columnKeyOf,
  columnLabel,
  columnsByView,
} from "./board-columns";
import type { CardMenuActions, ReorderPlace } from "./card-menu";
import { CardContent, cardClass, SortableTaskCard } from "./task-card";

type OptimisticChange =
  | { type: "move"; id: string; status: TaskStatus }
  | { type: "reorder"; id: string; aboveId: string | null; belowId: string | null };

function applyChange(tasks: BoardTask[], change: OptimisticChange): BoardTask[] {
  if (change.type === "move") {
    return tasks.map((t) => (t.id === change.id ? { ...t, status: change.status } : t));
  }
  return placeBetween(tasks, change.id, change);
}

const COLUMN_PREFIX = "column:";
/** Cards a column draws once the board is up (and per "Show more"): a thousand-task board stays quick. */
const COLUMN_PAGE = 50;
/**
 * Cards a column draws in the server's HTML and the first render in the browser: more than a
 * tall screen shows. The rest of the column's first page follows right after, in a transition
 * (input goes first), so the page arrives, paints and hydrates with a fraction of the cards.
 */
const FIRST_PAINT = 12;

/**
 * Mouse: the card under the pointer, else the column under it. Keyboard (no
 * pointer): what the moved card overlaps most, so a card sitting at the top of a
 * tall empty column is over that column, not over a card of the one it left.
 */
const collisionDetection: CollisionDetection = (args) => {
  const underPointer = pointerWithin(args);
  if (underPointer.length > 0) {
    const cardHit = underPointer.find((c) => !String(c.id).startsWith(COLUMN_PREFIX));
    return cardHit ? [cardHit, ...underPointer.filter((c) => c !== cardHit)] : underPointer;
  }
  const overlapping = rectIntersection(args);
  return overlapping.length > 0 ? overlapping : closestCorners(args);
};

const instructions =
  "To move a task, press Space on its title, then use the arrow keys: left and right change the column, up and down change its place in the queue. Press Space again to drop it, or Escape to cancel. Each card's actions menu has the same moves.";

/**
 * The Kanban board: columns by status or by phase, cards in queue order.
 * Drag a card (mouse, or Space and the arrow keys) within a column to change
 * its priority, or to another status column for the moves a person may make;
 * every other drop is refused with a message and the card goes back. Moves
 * show at once and are undone if the server refuses them.
 */
export function Board({
  orgSlug,
  tasks,
  specs,
  view,
  canWrite,
}: {
  orgSlug: string;
  tasks: BoardTask[];
  specs: Record<string, BoardSpec>;
  view: BoardView;
  canWrite: boolean;
}) {
  const [shown, applyOptimistic] = useOptimistic(tasks, applyChange);
  const [, startTransition] = useTransition();
  const [activeId, setActiveId] = useState<string | null>(null);
  const [overColumn, setOverColumn] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [ready, setReady] = useState(false);
  const [page, setPage] = useState(FIRST_PAINT);
  // Cards the user moved stay drawn wherever they land, even past a column's "Show more".
  const [pinned, setPinned] = useState<ReadonlySet<string>>(() => new Set());
  const pin = useCallback((id: string) => {
    setPinned((current) => (current.has(id) ? current : new Set(current).add(id)));
  }, []);
  const columns = columnsByView[view];

  const byId = useMemo(() => new Map(shown.map((t) => [t.id, t])), [shown]);
  const grouped = useMemo(() => {
    const map = new Map<string, BoardTask[]>(columns.map((c) => [c.key, []]));
    for (const task of shown) map.get(columnKeyOf(view, task))?.push(task);
    return map;
  }, [shown, columns, view]);

  // The latest state for handlers that cards hold on to (they are memoised and never re-created).
  const latest = useRef({ byId, grouped });
  latest.current = { byId, grouped };

  useEffect(() => {
    setReady(true);
    // For bench/dashboard.ts: the moment the board can take input.
    performance.mark("board-interactive");
    startTransition(() => setPage(COLUMN_PAGE));
  }, []);
  useEffect(() => {
    if (page === COLUMN_PAGE) performance.mark("board-drawn");
  }, [page]);

  const say = useCallback((message: string) => {
    setAnnouncement(message);
  }, []);

  const refuse = useCallback(
    (message: string) => {
      toast.error(message);
      say(message);
    },
    [say],
  );

  const move = useCallback(
    (taskId: string, to: TaskStatus) => {
      const task = latest.current.byId.get(taskId);
      if (!task) return;
      const plan = planManualMove(task.status, to);
      if (!plan.ok) {
        refuse(refusedMoveMessage(task, to, plan.reason));
        return;
      }
      pin(taskId);
      startTransition(async () => {
        applyOptimistic({ type: "move", id: taskId, status: to });
        const result = await orgAction(orgSlug, "moveTask", { taskId, to });
        if (result.ok) say(`Moved task ${task.key} to ${taskStatusLabels[to]}.`);
        else refuse(result.error.message);
      });
    },
    [orgSlug, refuse, say, applyOptimistic, pin],
  );

  const reorderTo = useCallback(
    (taskId: string, aboveId: string | null, belowId: string | null) => {
      const task = latest.current.byId.get(taskId);
      if (!task || (aboveId === null && belowId === null)) return;
      const near = aboveId
        ? `after ${latest.current.byId.get(aboveId)?.key ?? "another task"}`
        : `before ${latest.current.byId.get(belowId ?? "")?.key ?? "another task"}`;
      pin(taskId);
      startTransition(async () => {
        applyOptimistic({ type: "reorder", id: taskId, aboveId, belowId });
        const result = await orgAction(orgSlug, "reorderTask", { taskId, aboveId, belowId });
        if (result.ok) say(`Task ${task.key} is now ${near}.`);
        else refuse(result.error.message);
      });
    },
    [orgSlug, refuse, say, applyOptimistic, pin],
  );

  // Keyboard users keep focus on the card they moved, wherever it lands.
  const focusAfterRender = useRef<string | null>(null);
  useEffect(() => {
    const id = focusAfterRender.current;
    if (!id) return;
    const link = document.querySelector<HTMLElement>(`[data-card-link="${id}"]`);
    if (link) {
      focusAfterRender.current = null;
      link.focus();
    }
  });

  const menuActions = useMemo<CardMenuActions>(
    () => ({
      move,
      reorder(taskId: string, place: ReorderPlace) {
        const task = latest.current.byId.get(taskId);
        if (!task) return;
        const order = (latest.current.grouped.get(columnKeyOf(view, task)) ?? []).map((t) => t.id);
        const index = order.indexOf(taskId);
        const target = { top: 0, up: index - 1, down: index + 1, bottom: order.length - 1 }[place];
        if (target < 0 || target >= order.length || target === index) return;
        const { aboveId, belowId } = neighboursAt(order, taskId, target);
        reorderTo(taskId, aboveId, belowId);
      },
      position(taskId: string) {
        const task = latest.current.byId.get(taskId);
        const order = task ? (latest.current.grouped.get(columnKeyOf(view, task)) ?? []) : [];
        return { index: order.findIndex((t) => t.id === taskId), count: order.length };
      },
      willMove(taskId: string) {
        focusAfterRender.current = taskId;
      },
    }),
    [move, reorderTo, view],
  );

  // Arrow keys move a picked-up card one column left or right (to the top of it) or one card up
  // or down in the column it is over. dnd-kit's geometric default can take "right" to mean the
  // card above when rects differ by a pixel; the board knows its own columns.
  const keyboardCoordinates = useMemo<KeyboardCoordinateGetter>(
    () =>
      (event, { context: { active, over, collisionRect, droppableRects } }) => {
        const code = event.code;
        if (!["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].includes(code)) return undefined;
        event.preventDefault();
        if (!active || !collisionRect) return undefined;
        const { grouped: lists, byId: tasksById } = latest.current;
        const overId = String(over?.id ?? active.id);
        const overTask = tasksById.get(overId);
        const overColumn = overId.startsWith(COLUMN_PREFIX)
          ? overId.slice(COLUMN_PREFIX.length)
          : overTask
            ? columnKeyOf(view, overTask)
            : null;
        if (!overColumn) return undefined;
        if (code === "ArrowLeft" || code === "ArrowRight") {
          const keys = columns.map((c) => c.key);
          const next = keys[keys.indexOf(overColumn) + (code === "ArrowRight" ? 1 : -1)];
          const rect = next ? droppableRects.get(`${COLUMN_PREFIX}${next}`) : undefined;
          return rect ? { x: rect.left, y: rect.top } : undefined;
        }
        const list = (lists.get(overColumn) ?? []).map((t) => t.id);
        const index = overId.startsWith(COLUMN_PREFIX) ? -1 : list.indexOf(overId);
        const targetIndex = code === "ArrowDown" ? index + 1 : index - 1;
        const target = list[targetIndex];
        const rect = target ? droppableRects.get(target) : undefined;
        if (!rect) return undefined;
        // Below the card's own place, line up bottoms (as dnd-kit's sortable getter does).
        const below =
          list.indexOf(String(active.id)) !== -1 && targetIndex > list.indexOf(String(active.id));
        return {
          x: rect.left,
          y: below ? rect.top + rect.height - collisionRect.height : rect.top,
        };
      },
    [columns, view],
  );

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: keyboardCoordinates,
      // Enter stays the link's own key (open the task); Space picks a card up and drops it.
      keyboardCodes: { start: ["Space"], cancel: ["Escape"], end: ["Space", "Enter"] },
    }),
  );

  const columnOf = useCallback(
    (id: UniqueIdentifier | undefined | null): string | null => {
      if (id === undefined || id === null) return null;
      const s = String(id);
      if (s.startsWith(COLUMN_PREFIX)) return s.slice(COLUMN_PREFIX.length);
      const task = latest.current.byId.get(s);
      return task ? columnKeyOf(view, task) : null;
    },
    [view],
  );

  const describeOver = useCallback(
    (overId: UniqueIdentifier, activeTaskId: string): string => {
      const column = columnOf(overId);
      if (!column) return "no column";
      const list = latest.current.grouped.get(column) ?? [];
      const index = list.findIndex((t) => t.id === String(overId));
      const label = columnLabel(view, column);
      if (index < 0) return `the ${label} column`;
      if (String(overId) === activeTaskId)
        return `its own place in ${label}, position ${index + 1} of ${list.length}`;
      return `${label}, position ${index + 1} of ${list.length}`;
    },
    [columnOf, view],
  );

  const announcements: Announcements = useMemo(() => {
    const keyOf = (id: UniqueIdentifier) => latest.current.byId.get(String(id))?.key ?? "";
    return {
      onDragStart: ({ active }) =>
        `Picked up task ${keyOf(active.id)} in ${columnLabel(view, columnOf(active.id) ?? "")}.`,
      onDragOver: ({ active, over }) =>
        over
          ? `Task ${keyOf(active.id)} is over ${describeOver(over.id, String(active.id))}.`
          : `Task ${keyOf(active.id)} is not over a column.`,
      onDragEnd: ({ active, over }) =>
        over
          ? `Task ${keyOf(active.id)} dropped on ${describeOver(over.id, String(active.id))}.`
          : `Task ${keyOf(active.id)} dropped outside the board; it stays where it was.`,
      onDragCancel: ({ active }) =>
        `Moving task ${keyOf(active.id)} was cancelled; it stays where it was.`,
    };
  }, [columnOf, describeOver, view]);

  // A drag that ends on a card must not also click its link.
  const justDragged = useRef(0);
  useEffect(() => {
    const swallow = (event: MouseEvent) => {
      if (performance.now() - justDragged.current < 300) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener("click", swallow, true);
    return () => window.removeEventListener("click", swallow, true);
  }, []);

  function onDragStart(event: DragStartEvent) {
    setActiveId(String(event.active.id));
    setOverColumn(columnOf(event.active.id));
  }

  function onDragOver(event: DragOverEvent) {
    setOverColumn(columnOf(event.over?.id));
  }

  function onDragEnd(event: DragEndEvent) {
    justDragged.current = performance.now();
    setActiveId(null);
    setOverColumn(null);
    const { active, over } = event;
    const task = byId.get(String(active.id));
    if (!over || !task) return;
    const from = columnKeyOf(view, task);
    const to = columnOf(over.id);
    if (!to) return;
    focusAfterRender.current = task.id;
    if (to === from) {
      const order = (grouped.get(from) ?? []).map((t) => t.id);
      const oldIndex = order.indexOf(task.id);
      const overIndex = String(over.id).startsWith(COLUMN_PREFIX)
        ? order.length - 1
        : order.indexOf(String(over.id));
      if (overIndex < 0 || overIndex === oldIndex) return;
      const { aboveId, belowId } = neighboursAt(order, task.id, overIndex);
      reorderTo(task.id, aboveId, belowId);
      return;
    }
    if (view === "status") {
      move(task.id, to as TaskStatus);
      return;
    }
    refuse(
      `Cannot move ${movedTaskName(task)} to ${columnLabel(view, to)}: a task's phase comes from its spec's task plan; edit the plan to change it.`,
    );
  }

  function onDragCancel() {
    justDragged.current = performance.now();
    setActiveId(null);
    setOverColumn(null);
  }

  const active = activeId ? byId.get(activeId) : undefined;

  return (
    <DndContext
      // Fixed ids: dnd-kit's generated ones differ between server and browser (hydration).
      id="board"
      sensors={sensors}
      collisionDetection={collisionDetection}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
      accessibility={{ announcements, screenReaderInstructions: { draggable: instructions } }}
    >
      <div
        data-board-ready={ready ? "" : undefined}
        // `relative`: the cards' and headers' sr-only text (absolutely positioned) must scroll with
        // the columns, not widen the window.
        className="relative flex min-h-0 flex-1 gap-3 overflow-x-auto p-4"
      >
        {columns.map((column) => (
          <BoardColumn
            key={column.key}
            column={column}
            tasks={grouped.get(column.key) ?? []}
            specs={specs}
            page={page}
            highlighted={overColumn === column.key && activeId !== null}
            pinned={pinned}
            view={view}
            orgSlug={orgSlug}
            canWrite={canWrite}
            actions={menuActions}
          />
        ))}
      </div>
      <DragOverlay dropAnimation={null}>
        {active ? (
          <div className={cn(cardClass, "cursor-grabbing shadow-lg")}>
            <CardContent
              task={active}
              spec={specs[active.specId]}
              view={view}
              title={active.title}
            />
          </div>
        ) : null}
      </DragOverlay>
      <p role="status" aria-live="polite" data-board-announcer className="sr-only">
        {announcement}
      </p>
    </DndContext>
  );
}

const BoardColumn = memo(function BoardColumn({
  column,
  tasks,
  specs,
  page,
  highlighted,
  pinned,
  view,
  orgSlug,
  canWrite,
  actions,
}: {
  column: ColumnDef;
  tasks: BoardTask[];
  specs: Record<string, BoardSpec>;
  /** Cards drawn before any "Show more": FIRST_PAINT, then COLUMN_PAGE. */
  page: number;
  highlighted: boolean;
  pinned: ReadonlySet<string>;
  view: BoardView;
  orgSlug: string;
  canWrite: boolean;
  actions: CardMenuActions;
}) {
  const { setNodeRef } = useDroppable({
    id: `${COLUMN_PREFIX}${column.key}`,
    data: { column: column.key },
  });
  const [more, setMore] = useState(0);
  const limit = page + more;
  const visible = useMemo(
    () => tasks.filter((t, i) => i < limit || pinned.has(t.id)),
    [tasks, limit, pinned],
  );
  const hidden = tasks.length - visible.length;
  const ids = useMemo(() => visible.map((t) => t.id), [visible]);
  const headingId = `board-column-${column.key}`;
  return (
    <section
      aria-labelledby={headingId}
      data-column={column.key}
      className={cn(
        "flex max-h-full w-72 shrink-0 flex-col rounded-lg border bg-muted/40 transition-colors",
        highlighted && "border-ring bg-accent/60",
      )}
    >
      <h2 id={headingId} className="flex items-center gap-2 px-3 pt-2.5 pb-2 font-medium text-sm">
        <span aria-hidden="true" className={cn("size-2 shrink-0 rounded-full", column.dotClass)} />
        {column.label}
        <span className="ml-auto font-normal text-muted-foreground text-xs tabular-nums">
          {tasks.length}
          <span className="sr-only"> {tasks.length === 1 ? "task" : "tasks"}</span>
        </span>
      </h2>
      <SortableContext
        id={`sortable-${column.key}`}
        items={ids}
        strategy={verticalListSortingStrategy}
      >
        <ol
          ref={setNodeRef}
          aria-label={`${column.label} tasks`}
          className="flex min-h-24 flex-1 flex-col gap-2 overflow-y-auto px-2 pb-2"
        >
          {visible.map((task) => (
            <SortableTaskCard
              key={task.id}
              task={task}
              spec={specs[task.specId]}
              view={view}
              column={column.key}
              orgSlug={orgSlug}
              canWrite={canWrite}
              actions={actions}
            />
          ))}
          {tasks.length === 0 ? (
            <li className="rounded-md border border-dashed px-2 py-4 text-center text-muted-foreground text-xs">
              No tasks
            </li>
          ) : null}
        </ol>
      </SortableContext>
      {hidden > 0 ? (
        <div className="px-2 pb-2">
          <button
            type="button"
            onClick={() => setMore((n) => n + COLUMN_PAGE)}
            className="w-full rounded-md border border-dashed py-1.5 text-muted-foreground text-xs outline-none hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
          >
            Show {Math.min(COLUMN_PAGE, hidden)} more
            <span className="sr-only"> {column.label} tasks</span> ({hidden} not shown)
          </button>
        </div>
      ) : null}
    </section>
  );
});
