import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { TicketDetail } from "@/components/tickets/ticket-detail";
import { orNotFound, requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { can } from "@/lib/orgs/roles";
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
  return (
    <>
      <PageHeader
        crumbs={[
          { label: org.name, href: `/${org.slug}/projects` },
          { label: ticket.project.name, href: `/${org.slug}/projects/${ticket.project.id}` },
          { label: `#${ticket.number}` },
        ]}
      />
      <main className="grid gap-6 p-6 lg:grid-cols-[1fr_240px]">
        <TicketDetail
          orgSlug={org.slug}
          canWrite={can(actor.role, "write")}
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
