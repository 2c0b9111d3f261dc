"use client";

import { ExternalLink, Lock } from "lucide-react";
import type * as React from "react";
import {
  Sheet,
  SheetContent,
  SheetDescription,
  SheetHeader,
  SheetTitle,
} from "@/components/ui/sheet";
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
 * The task side panel: the task's key, title and status, a link to its full page, and
 * `children` (its detail). A dialog: focus stays inside, Esc closes, focus returns to what
 * opened it.
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
  summary: TaskDrawerSummary;
  /** The task's full page. */
  href: string;
  children: React.ReactNode;
}) {
  return (
    <Sheet open={open} onOpenChange={(next) => (next ? undefined : onClose())}>
      <SheetContent
        data-testid="task-drawer"
        aria-describedby={undefined}
        className="sm:max-w-xl"
        onCloseAutoFocus={(event) => {
          const target = returnFocus?.();
          if (!target) return;
          event.preventDefault();
          target.focus();
        }}
      >
        <SheetHeader>
          <SheetTitle>
            <span className="font-mono text-muted-foreground text-sm">{summary.key}</span>{" "}
            {summary.title}
          </SheetTitle>
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={summary.status} />
            {/* A plain link, a full load: the router would open this same drawer again. */}
            <a
              href={href}
              className="ml-auto inline-flex items-center gap-1 text-muted-foreground text-xs hover:text-foreground hover:underline"
            >
              Open full page <ExternalLink className="size-3" aria-hidden="true" />
            </a>
          </div>
          {summary.blockedReason ? (
            <SheetDescription className="flex items-center gap-1.5 text-xs">
              <Lock className="size-3 shrink-0" aria-hidden="true" /> Blocked.{" "}
              {summary.blockedReason}
            </SheetDescription>
          ) : null}
        </SheetHeader>
        <div className="min-h-0 flex-1 overflow-y-auto px-4 py-3">{children}</div>
      </SheetContent>
    </Sheet>
  );
}
