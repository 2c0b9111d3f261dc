import { Search, Ticket } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { IntentLink } from "@/components/ui/intent-link";
import { db } from "@/lib/db/client";
import { type Actor, can } from "@/lib/orgs/roles";
import { listTickets } from "@/lib/tickets/list-tickets";
import { ticketStatuses } from "@/lib/tickets/ticket-schema";
import { cn } from "@/lib/utils/cn";
import { TicketTable } from "./ticket-table";

export interface TicketListParams {
  status?: string;
  q?: string;
  cursor?: string;
}

const statusLabels: Record<string, string> = {
  OPEN: "Open",
  IN_PROGRESS: "In progress",
  DONE: "Done",
  CLOSED: "Closed",
};

/** Filter chips, search and a page of tickets; filters live in the URL so a view can be shared. */
export async function TicketListView({
  actor,
  orgSlug,
  baseHref,
  projectId,
  params,
}: {
  actor: Actor;
  orgSlug: string;
  baseHref: string;
  projectId?: string;
  params: TicketListParams;
}) {
  const status = ticketStatuses.find((s) => s === params.status);
  const q = params.q?.trim() || undefined;
  const { items, nextCursor } = await listTickets(db(), {
    actor,
    input: { projectId, status, q, cursor: params.cursor },
  });
  const href = (next: Partial<TicketListParams>) => {
    const merged = { status, q, ...next };
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(merged)) if (v) search.set(k, v);
    const qs = search.toString();
    return qs ? `${baseHref}?${qs}` : baseHref;
  };
  const newTicketHref = `/${orgSlug}/tickets/new${projectId ? `?project=${projectId}` : ""}`;

  return (
    <div className="grid grid-cols-1 gap-4">
      <div className="flex flex-wrap items-center gap-2">
        <nav aria-label="Filter by status" className="flex flex-wrap gap-1">
          {[undefined, ...ticketStatuses].map((s) => (
            <IntentLink
              key={s ?? "all"}
              href={href({ status: s, cursor: undefined })}
              aria-current={status === s ? "page" : undefined}
              className={cn(
                "rounded-full border px-2.5 py-1 text-xs",
                status === s
                  ? "border-foreground/30 bg-accent font-medium"
                  : "text-muted-foreground hover:text-foreground",
              )}
            >
              {s ? statusLabels[s] : "All"}
            </IntentLink>
          ))}
        </nav>
        <search className="ml-auto max-sm:w-full">
          <form action={baseHref} className="flex items-center gap-1">
            {status ? <input type="hidden" name="status" value={status} /> : null}
            <label htmlFor="ticket-search" className="sr-only">
              Search tickets by title
            </label>
            <div className="relative max-sm:flex-1">
              <Search
                className="-translate-y-1/2 pointer-events-none absolute top-1/2 left-2 size-3.5 text-muted-foreground"
                aria-hidden="true"
              />
              <Input
                id="ticket-search"
                name="q"
                defaultValue={q}
                placeholder="Search titles  /"
                className="h-8 w-full pl-7 sm:w-56"
                data-page-search
              />
            </div>
          </form>
        </search>
      </div>
      {items.length === 0 ? (
        <EmptyState
          icon={<Ticket />}
          title={q || status ? "No tickets match" : "No tickets yet"}
          description={
            q || status
              ? "Try another filter or search."
              : "Describe a feature or a bug; Trellis turns it into requirements, a design and tasks."
          }
          action={
            can(actor.role, "write") && !q && !status ? (
              <Button asChild size="sm">
                <Link href={newTicketHref}>New ticket</Link>
              </Button>
            ) : null
          }
        />
      ) : (
        <TicketTable orgSlug={orgSlug} tickets={items} showProject={!projectId} />
      )}
      {params.cursor || nextCursor ? (
        <nav aria-label="Pages" className="flex justify-between">
          {params.cursor ? (
            <Button asChild variant="outline" size="sm">
              <Link href={href({ cursor: undefined })}>First page</Link>
            </Button>
          ) : (
            <span />
          )}
          {nextCursor ? (
            <Button asChild variant="outline" size="sm">
              <Link href={href({ cursor: nextCursor })}>Next page</Link>
            </Button>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
