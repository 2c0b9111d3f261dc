"use client";

import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { Lock } from "lucide-react";
import Link from "next/link";
import { memo } from "react";
import { HeartbeatAge } from "@/components/agents/heartbeat-age";
import { PhaseBadge, StatusBadge } from "@/components/ui/status-badge";
import type { BoardSpec, BoardTask } from "@/lib/tasks/list-board-tasks";
import { cn } from "@/lib/utils/cn";
import type { BoardView } from "./board-columns";
import { CardMenu, type CardMenuActions } from "./card-menu";

const usd = new Intl.NumberFormat("en", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
});

// A card moved out of these (an optimistic move) stops its clock at once.
const inProgress = new Set(["RUNNING", "VERIFYING"]);

function cost(amount: number): string {
  return amount < 0.01 ? "<$0.01" : usd.format(amount);
}

/**
 * What a card shows: key, title, the other view's tag, spec, agent, elapsed
 * time while running, cost, requirement and label chips, and a lock with the
 * reason when it waits for other tasks. Plain markup: the board draws a
 * thousand of these.
 */
export function CardContent({
  task,
  spec,
  view,
  title,
}: {
  task: BoardTask;
  spec: BoardSpec | undefined;
  view: BoardView;
  /** The title element: a link on the board, plain text in the drag overlay. */
  title: React.ReactNode;
}) {
  const blockedBy = task.blockedBy ?? [];
  return (
    <>
      <div className="flex items-start gap-1.5 pr-6">
        {blockedBy.length > 0 ? (
          <span title={`Blocked: waiting for ${blockedBy.join(", ")}`} className="mt-0.5 shrink-0">
            <Lock className="size-3 text-muted-foreground" aria-hidden="true" />
            <span className="sr-only">Blocked: waiting for {blockedBy.join(", ")}.</span>
          </span>
        ) : null}
        <span className="shrink-0 font-mono text-muted-foreground text-xs leading-5">
          {task.key}
        </span>
        <span className="min-w-0 flex-1 text-dense leading-5">{title}</span>
      </div>
      <div className="flex flex-wrap items-center gap-1">
        {view === "status" ? (
          <PhaseBadge phase={task.phase} />
        ) : (
          <StatusBadge status={task.status} />
        )}
        {task.requirementIds.slice(0, 2).map((r) => (
          <span key={r} className="rounded border px-1 font-mono text-[11px] text-muted-foreground">
            {r}
          </span>
        ))}
        {task.requirementIds.length > 2 ? (
          <span className="text-[11px] text-muted-foreground">
            +{task.requirementIds.length - 2}
          </span>
        ) : null}
        {task.labels.slice(0, 2).map((l) => (
          <span key={l} className="rounded bg-muted px-1 text-[11px] text-muted-foreground">
            {l}
          </span>
        ))}
      </div>
      <div className="flex items-center gap-2 text-muted-foreground text-xs">
        <span
          className="min-w-0 flex-1 truncate"
          title={spec ? `${spec.projectName} / ${spec.title}` : undefined}
        >
          {spec?.title}
        </span>
        {task.agent ? (
          <span className="flex shrink-0 items-center gap-1" title={`Agent: ${task.agent}`}>
            <span
              aria-hidden="true"
              className="flex size-4 items-center justify-center rounded-full bg-muted font-medium text-[9px] uppercase"
            >
              {task.agent.slice(0, 1)}
            </span>
            <span className="sr-only">Agent:</span>
            <span className="max-w-20 truncate">{task.agent}</span>
          </span>
        ) : null}
        {task.startedAt && inProgress.has(task.status) ? (
          // Only running cards tick (each its own timer): the board itself never re-renders for it.
          <span className="shrink-0" title="Running for">
            <span className="sr-only">Running for </span>
            <HeartbeatAge since={task.startedAt} warn={false} />
          </span>
        ) : null}
        {task.costUsd ? (
          <span className="shrink-0 font-mono tabular-nums" title="Cost so far">
            <span className="sr-only">Cost so far </span>
            {cost(task.costUsd)}
          </span>
        ) : null}
      </div>
    </>
  );
}

export const cardClass =
  "relative grid gap-1.5 rounded-md border bg-card p-2.5 text-card-foreground shadow-xs has-[a:focus-visible]:ring-2 has-[a:focus-visible]:ring-ring";

/** A card on the board: its title link opens the task and is the drag handle (mouse and keyboard). */
export const SortableTaskCard = memo(function SortableTaskCard({
  task,
  spec,
  view,
  column,
  orgSlug,
  canWrite,
  actions,
}: {
  task: BoardTask;
  spec: BoardSpec | undefined;
  view: BoardView;
  column: string;
  orgSlug: string;
  canWrite: boolean;
  actions: CardMenuActions;
}) {
  const {
    attributes,
    listeners,
    setNodeRef,
    setActivatorNodeRef,
    transform,
    transition,
    isDragging,
  } = useSortable({ id: task.id, data: { column }, disabled: !canWrite });
  return (
    <li
      ref={setNodeRef}
      data-task-card={task.id}
      data-status={task.status}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn(cardClass, isDragging && "opacity-40")}
    >
      <CardContent
        task={task}
        spec={spec}
        view={view}
        title={
          <Link
            ref={setActivatorNodeRef}
            href={`/${orgSlug}/tasks/${task.id}`}
            prefetch={false}
            draggable={false}
            data-card-link={task.id}
            // The link stays a link for assistive technology; dnd-kit adds what a sortable needs.
            aria-roledescription={canWrite ? attributes["aria-roledescription"] : undefined}
            aria-describedby={canWrite ? attributes["aria-describedby"] : undefined}
            {...(canWrite ? listeners : {})}
            className={cn(
              "outline-none after:absolute after:inset-0 after:rounded-md hover:underline",
              task.status === "CANCELLED" && "line-through decoration-1",
            )}
          >
            {task.title}
          </Link>
        }
      />
      {canWrite ? <CardMenu task={task} actions={actions} /> : null}
    </li>
  );
});
