"use client";

import { ExternalLink, Lock } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import {
  Sheet,
  SheetContent,
  SheetDescription,
  SheetHeader,
  SheetTitle,
} from "@/components/ui/sheet";
import { Skeleton } from "@/components/ui/skeleton";
import { StatusBadge } from "@/components/ui/status-badge";

export interface TaskDrawerSummary {
  id: string;
  key: string;
  title: string;
  status: string;
  /** Why a waiting task waits ("Waits for 2 (running)"), when it does. */
  blockedReason?: string | null;
}

/**
 * The task side panel: opens at once with what the page already knows (`summary`), then
 * shows `children` — the details the server rendered for it — or a loading state until they
 * arrive. A dialog: focus stays inside, Esc closes, focus returns to what opened it.
 */
export function TaskDrawer({
  open,
  onClose,
  summary,
  href,
  returnFocus,
  children,
}: {
  open: boolean;
  onClose: () => void;
  /** Where focus goes when the drawer closes (what opened it); Radix only knows its own triggers. */
  returnFocus?: () => HTMLElement | null;
  summary: TaskDrawerSummary | null;
  /** The task's full page. */
  href: string | null;
  children?: React.ReactNode;
}) {
  return (
    <Sheet open={open} onOpenChange={(next) => (next ? undefined : onClose())}>
      <SheetContent
        data-testid="task-drawer"
        aria-describedby={undefined}
        onCloseAutoFocus={(event) => {
          const target = returnFocus?.();
          if (!target) return;
          event.preventDefault();
          target.focus();
        }}
      >
        <SheetHeader>
          <SheetTitle>
            {summary ? (
              <>
                <span className="font-mono text-muted-foreground text-sm">{summary.key}</span>{" "}
                {summary.title}
              </>
            ) : (
              "Task"
            )}
          </SheetTitle>
          <div className="flex flex-wrap items-center gap-2">
            {summary ? <StatusBadge status={summary.status} /> : null}
            {href ? (
              <Link
                href={href}
                className="ml-auto inline-flex items-center gap-1 text-muted-foreground text-xs hover:text-foreground hover:underline"
              >
                Open full page <ExternalLink className="size-3" aria-hidden="true" />
              </Link>
            ) : null}
          </div>
          {summary?.blockedReason ? (
            <SheetDescription className="flex items-center gap-1.5 text-xs">
              <Lock className="size-3 shrink-0" aria-hidden="true" /> Blocked.{" "}
              {summary.blockedReason}
            </SheetDescription>
          ) : null}
        </SheetHeader>
        <div className="min-h-0 flex-1 overflow-y-auto px-4 py-3">
          {children ?? (
            <div role="status" aria-busy="true" className="grid gap-3">
              <span className="sr-only">Loading the task…</span>
              <Skeleton className="h-4 w-40" />
              <Skeleton className="h-16 w-full" />
              <Skeleton className="h-40 w-full" />
            </div>
          )}
        </div>
      </SheetContent>
    </Sheet>
  );
}
