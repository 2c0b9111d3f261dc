import type { Metadata } from "next";
import Link from "next/link";
import { SpecResultLine } from "@/components/execution/spec-result";
import { PageHeader } from "@/components/shell/page-header";
import { StartSpecButton } from "@/components/specs/start-spec-button";
import { TicketDetail } from "@/components/tickets/ticket-detail";
import { StatusBadge } from "@/components/ui/status-badge";
import { orNotFound, requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { can } from "@/lib/orgs/roles";
import { listTicketSpecs } from "@/lib/specs/list-ticket-specs";
import { getTicket } from "@/lib/tickets/get-ticket";

export const metadata: Metadata = { title: "Ticket" };

export default async function TicketPage({
  params,
}: {
  params: Promise<{ org: string; ticketId: string }>;
}) {
  const { org: orgSlug, ticketId } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  const ticket = await orNotFound(getTicket(db(), { actor, ticketId }));
  const specs = await listTicketSpecs(db(), { actor, ticketId: ticket.id });
  const canWrite = can(actor.role, "write");
  return (
    <>
      <PageHeader
        crumbs={[
          { label: org.name, href: `/${org.slug}/projects` },
          { label: ticket.project.name, href: `/${org.slug}/projects/${ticket.project.id}` },
          { label: `#${ticket.number}` },
        ]}
      />
      <main className="grid grid-cols-1 gap-6 p-4 md:p-6 lg:grid-cols-[minmax(0,1fr)_240px]">
        <TicketDetail
          orgSlug={org.slug}
          canWrite={canWrite}
          ticket={{
            id: ticket.id,
            number: ticket.number,
            status: ticket.status,
            projectId: ticket.projectId,
            title: ticket.title,
            description: ticket.description,
            priority: ticket.priority,
            type: ticket.type,
            labels: ticket.labels.join(", "),
          }}
        />
        <aside aria-label="Details" className="grid content-start gap-3 text-sm">
          {/* min-w-0 down to the items: a long spec title or branch truncates, not widens the column. */}
          <section aria-labelledby="ticket-specs" className="grid min-w-0 gap-2">
            <h2 id="ticket-specs" className="font-medium text-sm">
              Specs
            </h2>
            {specs.length ? (
              <ul className="grid min-w-0 gap-1">
                {specs.map((s) => (
                  <li key={s.id} className="min-w-0">
                    <Link
                      href={`/${org.slug}/specs/${s.id}`}
                      className="flex items-center gap-2 rounded-md border px-2 py-1.5 hover:bg-accent/50"
                    >
                      <span className="truncate">{s.title}</span>
                      <StatusBadge status={s.shownState} className="ml-auto shrink-0" />
                    </Link>
                    {s.state === "DONE" ? <SpecResultLine spec={s} /> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-muted-foreground text-xs">
                No spec yet: start one to draft requirements from this ticket.
              </p>
            )}
            {canWrite && !specs.some((s) => !["DONE", "FAILED", "CANCELLED"].includes(s.state)) ? (
              <div>
                <StartSpecButton ticketId={ticket.id} />
              </div>
            ) : null}
          </section>
          <dl className="grid grid-cols-[88px_1fr] gap-x-3 gap-y-2">
            <dt className="text-muted-foreground">Id</dt>
            <dd className="truncate font-mono text-xs">{ticket.id}</dd>
            <dt className="text-muted-foreground">Source</dt>
            <dd>{ticket.source.toLowerCase()}</dd>
            <dt className="text-muted-foreground">Filed by</dt>
            <dd className="truncate">{ticket.createdBy?.name ?? ticket.createdBy?.email ?? "—"}</dd>
            <dt className="text-muted-foreground">Created</dt>
            <dd>
              <time dateTime={ticket.createdAt.toISOString()}>
                {ticket.createdAt.toLocaleString("en-US")}
              </time>
            </dd>
            {ticket.closedAt ? (
              <>
                <dt className="text-muted-foreground">Closed</dt>
                <dd>
                  <time dateTime={ticket.closedAt.toISOString()}>
                    {ticket.closedAt.toLocaleString("en-US")}
                  </time>
                </dd>
              </>
            ) : null}
          </dl>
        </aside>
      </main>
    </>
  );
}
