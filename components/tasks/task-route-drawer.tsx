"use client";

import { useRouter } from "next/navigation";
import type * as React from "react";
import { useCallback, useEffect } from "react";
import { TaskDrawer, type TaskDrawerSummary } from "./task-drawer";

// What had focus when the first drawer of a visit opened (a board card, a list row, a graph
// node); a drawer opened from another drawer's link keeps it, so Esc returns there.
let opener: HTMLElement | null = null;

/**
 * The task drawer as a route: a click on the board, the graph or a spec's task list opens the
 * task's URL over the page (an intercepted route); Esc or Back returns to where it was.
 */
export function TaskRouteDrawer({
  summary,
  href,
  children,
}: {
  summary: TaskDrawerSummary;
  /** The task's full page. */
  href: string;
  children: React.ReactNode;
}) {
  const router = useRouter();
  useEffect(() => {
    const active = document.activeElement;
    if (active instanceof HTMLElement && !active.closest("[data-testid=task-drawer]")) {
      opener = active;
    }
  }, []);
  const returnFocus = useCallback(() => (opener?.isConnected ? opener : null), []);
  return (
    <TaskDrawer
      open
      onClose={() => router.back()}
      summary={summary}
      href={href}
      returnFocus={returnFocus}
    >
      {children}
    </TaskDrawer>
  );
}
