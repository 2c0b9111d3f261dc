"use client";

import { Handle, type Node, type NodeProps, Position } from "@xyflow/react";
import { Lock } from "lucide-react";
import { memo } from "react";
import { blockingReason } from "@/components/tasks/blocking-reason";
import { getStatusMeta } from "@/components/ui/status-badge";
import type { TaskGraphNode } from "@/lib/tasks/build-task-graph";
import { cn } from "@/lib/utils/cn";

export type TaskFlowNode = Node<TaskGraphNode, "task">;

// The colour bar on the card's left edge: the same status colours as everywhere (DESIGN.md).
const barClass: Record<string, string> = {
  PENDING: "border-l-status-queued",
  QUEUED: "border-l-status-queued",
  RUNNING: "border-l-status-running",
  VERIFYING: "border-l-status-verifying",
  NEEDS_ATTENTION: "border-l-status-attention",
  DONE: "border-l-status-done",
  FAILED: "border-l-status-failed",
  CANCELLED: "border-l-status-cancelled",
};

const textClass: Record<string, string> = {
  RUNNING: "text-status-running",
  VERIFYING: "text-status-verifying",
  NEEDS_ATTENTION: "text-status-attention",
  DONE: "text-status-done",
  FAILED: "text-status-failed",
};

/** "Blocked", or the status's usual label ("Pending" reads as "Waiting"). */
export function taskStatusLabel(task: Pick<TaskGraphNode, "status" | "blockedBy">): string {
  if (task.blockedBy.length > 0) return "Blocked";
  if (task.status === "PENDING") return "Waiting";
  return getStatusMeta(task.status).label;
}

/** What a screen reader says for a node: key, title, status, why it waits, critical path. */
export function taskNodeLabel(task: TaskGraphNode): string {
  return [
    `Task ${task.key}: ${task.title}`,
    taskStatusLabel(task),
    task.blockedBy.length ? blockingReason(task.blockedBy) : null,
    task.critical ? "on the critical path" : null,
  ]
    .filter(Boolean)
    .join(". ");
}

// Edges need handles to attach to; nobody draws new edges here, so they stay invisible.
const handleClass = "!size-1 !min-h-0 !min-w-0 !border-0 !bg-transparent";

/** A compact card: status colour bar, key, status, title, and why it waits. Memoised for big graphs. */
export const TaskNode = memo(function TaskNode({ data }: NodeProps<TaskFlowNode>) {
  const blocked = data.blockedBy.length > 0;
  return (
    <div
      data-task-key={data.key}
      data-status={data.status}
      data-blocked={blocked || undefined}
      data-critical={data.critical || undefined}
      className={cn(
        "flex h-full w-full flex-col justify-center gap-0.5 overflow-hidden rounded-md border border-l-4 bg-card px-2.5 py-1.5 text-card-foreground shadow-xs",
        barClass[data.status] ?? "border-l-status-queued",
        data.critical && "border-y-2 border-r-2 border-y-foreground/70 border-r-foreground/70",
      )}
      title={blocked ? blockingReason(data.blockedBy) : (data.attentionReason ?? undefined)}
    >
      <Handle
        type="target"
        position={Position.Left}
        isConnectable={false}
        className={handleClass}
      />
      <div className="flex items-center gap-1.5 text-xs">
        <span className="font-mono text-muted-foreground">{data.key}</span>
        <span
          className={cn(
            "flex items-center gap-1 font-medium",
            textClass[data.status] ?? "text-muted-foreground",
          )}
        >
          {blocked ? <Lock className="size-3" aria-hidden="true" /> : null}
          {data.status === "RUNNING" ? (
            <span
              aria-hidden="true"
              className="size-1.5 animate-status-pulse rounded-full bg-current"
            />
          ) : null}
          {taskStatusLabel(data)}
        </span>
        {data.critical ? <span className="ml-auto text-muted-foreground">critical</span> : null}
      </div>
      <div
        className={cn(
          "truncate font-medium text-dense",
          data.status === "CANCELLED" && "text-muted-foreground line-through",
        )}
      >
        {data.title}
      </div>
      {blocked ? (
        <div className="truncate text-muted-foreground text-xs">
          {blockingReason(data.blockedBy)}
        </div>
      ) : data.attentionReason ? (
        <div className="truncate text-status-attention text-xs">{data.attentionReason}</div>
      ) : null}
      <Handle
        type="source"
        position={Position.Right}
        isConnectable={false}
        className={handleClass}
      />
    </div>
  );
});
