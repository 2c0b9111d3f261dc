import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { PageHeader } from "@/components/shell/page-header";
import { type TicketListParams, TicketListView } from "@/components/tickets/ticket-list-view";
import { Button } from "@/components/ui/button";
import { ListSkeleton } from "@/components/ui/list-skeleton";
import { requireOrgContext } from "@/lib/auth/org-context";
import { can } from "@/lib/orgs/roles";

export const metadata: Metadata = { title: "Tickets" };

export default async function TicketsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<TicketListParams>;
}) {
  const { org: orgSlug } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  return (
    <>
      <PageHeader
        crumbs={[{ label: org.name, href: `/${org.slug}/projects` }, { label: "Tickets" }]}
        actions={
          can(actor.role, "write") ? (
            <Button asChild size="sm">
              <Link href={`/${org.slug}/tickets/new`} aria-keyshortcuts="c">
                <Plus aria-hidden="true" /> New ticket
              </Link>
            </Button>
          ) : null
        }
      />
      <main className="p-4 md:p-6">
        <h1 className="sr-only">Tickets</h1>
        <Suspense fallback={<ListSkeleton label="Loading tickets" />}>
          <TicketListView
            actor={actor}
            orgSlug={org.slug}
            baseHref={`/${org.slug}/tickets`}
            params={await searchParams}
          />
        </Suspense>
      </main>
    </>
  );
}
