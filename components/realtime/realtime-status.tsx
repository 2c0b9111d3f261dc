"use client";

import Link from "next/link";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuGroup,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { RealtimeEvent } from "@/lib/realtime/realtime-event";
import { cn } from "@/lib/utils/cn";
import { formatRelative } from "@/lib/utils/format-relative";
import type { ConnectionStatus } from "./connection";
import { useRealtime, useRealtimeSnapshot } from "./realtime-provider";

const statusText: Record<ConnectionStatus, string> = {
  connecting: "connecting",
  live: "live",
  reconnecting: "reconnecting",
  offline: "offline",
};

// Colour carries meaning (DESIGN.md): live = done green, trouble = attention amber, none = grey.
const dotClass: Record<ConnectionStatus, string> = {
  connecting: "bg-status-queued",
  live: "bg-status-done",
  reconnecting: "bg-status-attention animate-status-pulse",
  offline: "bg-status-queued",
};

/** "ticket.created" -> "Ticket created"; "tasks.created" -> "Tasks created". */
export function eventLabel(type: string): string {
  const words = type.replace(/[._]/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function eventHref(orgSlug: string, event: RealtimeEvent): string | null {
  if (event.taskId) return `/${orgSlug}/tasks/${event.taskId}`;
  if (event.specId) return `/${orgSlug}/specs/${event.specId}`;
  if (event.ticketId) return `/${orgSlug}/tickets/${event.ticketId}`;
  if (event.projectId) return `/${orgSlug}/projects/${event.projectId}`;
  return null;
}

/**
 * A quiet dot in the sidebar saying whether the page is live, opening onto the changes that
 * arrived while it was open (by anyone: other people, agents, the worker).
 */
export function RealtimeStatus({ compact = false }: { compact?: boolean }) {
  const api = useRealtime();
  const { status, recent } = useRealtimeSnapshot();
  if (!api) return null;
  const label = `Live updates: ${statusText[status]}`;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <button
          type="button"
          aria-label={label}
          title={label}
          data-status={status}
          className="flex h-8 shrink-0 items-center gap-1.5 rounded-md px-2 text-sidebar-muted-foreground text-xs outline-none hover:bg-sidebar-accent focus-visible:ring-2 focus-visible:ring-ring"
        >
          <span aria-hidden="true" className={cn("size-2 rounded-full", dotClass[status])} />
          {compact ? null : (
            <span aria-hidden="true">{status === "live" ? "Live" : statusText[status]}</span>
          )}
        </button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" side="top" className="w-72">
        <DropdownMenuLabel className="font-normal text-muted-foreground text-xs">
          {status === "live"
            ? "Changes appear as they happen."
            : status === "offline"
              ? "Offline: changes catch up when the connection is back."
              : "Connecting… changes catch up once connected."}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        {recent.length === 0 ? (
          <p className="px-2 py-1.5 text-muted-foreground text-xs">
            No changes since this page opened.
          </p>
        ) : (
          <DropdownMenuGroup aria-label="Recent changes" className="max-h-80 overflow-y-auto">
            {recent.map(({ event, receivedAt }) => {
              const href = eventHref(api.orgSlug, event);
              const body = (
                <>
                  <span className="truncate">{eventLabel(event.type)}</span>
                  <span className="ml-auto shrink-0 text-muted-foreground text-xs">
                    {formatRelative(new Date(receivedAt))}
                  </span>
                </>
              );
              // Keyed by arrival, not seq alone: were an event ever delivered twice, both would show.
              const key = `${event.seq}@${receivedAt}`;
              return href ? (
                <DropdownMenuItem key={key} data-seq={event.seq} asChild>
                  <Link href={href}>{body}</Link>
                </DropdownMenuItem>
              ) : (
                <DropdownMenuItem key={key} data-seq={event.seq}>
                  {body}
                </DropdownMenuItem>
              );
            })}
          </DropdownMenuGroup>
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
