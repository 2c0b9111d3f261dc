"use client";

import { Pencil } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { NativeSelect } from "@/components/forms/native-select";
import { useOrgAction } from "@/components/forms/use-org-action";
import { MarkdownText } from "@/components/specs/markdown-text";
import { Button } from "@/components/ui/button";
import { StatusBadge } from "@/components/ui/status-badge";
import { ticketStatuses } from "@/lib/tickets/ticket-schema";
import { TicketForm, type TicketFormValues } from "./ticket-form";

const statusLabels: Record<string, string> = {
  OPEN: "Open",
  IN_PROGRESS: "In progress",
  DONE: "Done",
  CLOSED: "Closed",
};

/** A ticket's title, description and fields, with edit, status change and close for writers. */
export function TicketDetail({
  orgSlug,
  ticket,
  canWrite,
}: {
  orgSlug: string;
  canWrite: boolean;
  ticket: TicketFormValues & { id: string; number: number; status: string };
}) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const update = useOrgAction("updateTicket");
  const setStatus = (status: (typeof ticketStatuses)[number]) =>
    update.run({ ticketId: ticket.id, status }, () => {
      toast.success(status === "CLOSED" ? "Ticket closed" : `Status: ${statusLabels[status]}`);
      router.refresh();
    });

  if (editing) {
    return (
      <TicketForm
        orgSlug={orgSlug}
        projects={[]}
        ticketId={ticket.id}
        initial={ticket}
        onDone={() => setEditing(false)}
      />
    );
  }
  return (
    <article className="grid max-w-3xl gap-5">
      <div className="flex items-start gap-3">
        <h1 className="font-semibold text-xl leading-tight">
          <span className="mr-2 font-mono text-muted-foreground text-base">#{ticket.number}</span>
          {ticket.title}
        </h1>
        {canWrite ? (
          <Button
            variant="outline"
            size="sm"
            className="ml-auto"
            onClick={() => setEditing(true)}
            aria-keyshortcuts="e"
          >
            <Pencil aria-hidden="true" /> Edit
          </Button>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={ticket.status} />
        <StatusBadge status={ticket.priority} showDot={false} />
        <span className="rounded border px-1.5 py-0.5 text-muted-foreground text-xs">
          {ticket.type.toLowerCase()}
        </span>
        {ticket.labels
          .split(",")
          .filter(Boolean)
          .map((l) => (
            <span key={l} className="rounded border px-1.5 py-0.5 text-xs">
              {l.trim()}
            </span>
          ))}
      </div>
      <section aria-label="Description" className="rounded-lg border bg-card p-4">
        {ticket.description ? (
          <MarkdownText text={ticket.description} />
        ) : (
          <p className="text-muted-foreground text-sm">No description.</p>
        )}
      </section>
      {canWrite ? (
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor="ticket-status" className="text-muted-foreground text-sm">
            Status
          </label>
          <NativeSelect
            id="ticket-status"
            className="w-40"
            value={ticket.status}
            disabled={update.pending}
            onChange={(e) => setStatus(e.target.value as (typeof ticketStatuses)[number])}
          >
            {ticketStatuses.map((s) => (
              <option key={s} value={s}>
                {statusLabels[s]}
              </option>
            ))}
          </NativeSelect>
          {ticket.status === "CLOSED" ? (
            <Button
              variant="outline"
              size="sm"
              disabled={update.pending}
              onClick={() => setStatus("OPEN")}
            >
              Reopen ticket
            </Button>
          ) : (
            <Button
              variant="outline"
              size="sm"
              disabled={update.pending}
              onClick={() => setStatus("CLOSED")}
            >
              Close ticket
            </Button>
          )}
        </div>
      ) : null}
    </article>
  );
}
