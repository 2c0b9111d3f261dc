"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type * as React from "react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { TaskDrawer } from "@/components/tasks/task-drawer";
import type { TaskGraphNode } from "@/lib/tasks/build-task-graph";
import { TaskGraph } from "./task-graph";
import { blockingReason } from "./task-node";

/**
 * The graph with its task drawer. The open task lives in the URL (`?task=`), so the
 * server renders the drawer's details and a link can share it; the drawer itself opens
 * at once on click, with what the graph knows, while those details load.
 */
export function GraphView({
  orgSlug,
  nodes,
  criticalPath,
  positions,
  label,
  drawerTaskId,
  drawer,
  className,
}: {
  orgSlug: string;
  nodes: TaskGraphNode[];
  criticalPath: string[];
  positions: Record<string, { x: number; y: number }>;
  label: string;
  /** The task the server rendered `drawer` for (the URL's `task`), if any. */
  drawerTaskId: string | null;
  drawer: React.ReactNode;
  className?: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const urlTaskId = searchParams.get("task");
  // The task just clicked (or null: just closed) until the URL catches up.
  const [pending, setPending] = useState<{ id: string | null } | null>(null);
  const openId = pending ? pending.id : urlTaskId;
  useEffect(() => {
    if (pending && pending.id === urlTaskId) setPending(null);
  }, [pending, urlTaskId]);

  const setTask = useCallback(
    (id: string | null) => {
      setPending({ id });
      const params = new URLSearchParams(searchParams.toString());
      if (id) params.set("task", id);
      else params.delete("task");
      const query = params.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [pathname, router, searchParams],
  );
  // The node that opened the drawer gets focus back when it closes (found again by id: a
  // refresh may have redrawn it).
  const opener = useRef<string | null>(null);
  const openTask = useCallback(
    (task: TaskGraphNode) => {
      opener.current = task.key;
      setTask(task.id);
    },
    [setTask],
  );
  const returnFocus = useCallback(
    () =>
      opener.current
        ? document.querySelector<HTMLElement>(
            `.react-flow__node[data-id="${CSS.escape(opener.current)}"]`,
          )
        : null,
    [],
  );

  const summary = useMemo(() => {
    const node = openId ? nodes.find((n) => n.id === openId) : undefined;
    if (!node) return null;
    return {
      id: node.id,
      key: node.key,
      title: node.title,
      status: node.status,
      blockedReason: node.blockedBy.length ? blockingReason(node.blockedBy) : null,
    };
  }, [nodes, openId]);

  return (
    <>
      <TaskGraph
        nodes={nodes}
        criticalPath={criticalPath}
        positions={positions}
        onOpenTask={openTask}
        label={label}
        className={className}
      />
      <TaskDrawer
        open={openId !== null}
        onClose={() => setTask(null)}
        summary={summary}
        href={openId ? `/${orgSlug}/tasks/${openId}` : null}
        returnFocus={returnFocus}
      >
        {openId !== null && openId === drawerTaskId ? drawer : null}
      </TaskDrawer>
    </>
  );
}
