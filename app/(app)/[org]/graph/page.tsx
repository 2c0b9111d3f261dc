import { Network, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireOrgContext } from "@/lib/auth/org-context";
import { can } from "@/lib/orgs/roles";

export const metadata: Metadata = { title: "Graph" };

// Filled in by later work; until then the page teaches how work reaches it.
export default async function GraphPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: orgSlug } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  return (
    <>
      <PageHeader
        crumbs={[{ label: org.name, href: `/${org.slug}/projects` }, { label: "Graph" }]}
      />
      <main className="p-6">
        <h1 className="sr-only">Graph</h1>
        <EmptyState
          icon={<Network />}
          title="No task graph yet"
          description="When a ticket's spec is approved, its tasks and their dependencies are drawn here, with the critical path highlighted. File a ticket to start."
          action={
            can(actor.role, "write") ? (
              <Button asChild size="sm">
                <Link href={`/${org.slug}/tickets/new`}>
                  <Plus aria-hidden="true" /> New ticket
                </Link>
              </Button>
            ) : (
              <Button asChild size="sm" variant="outline">
                <Link href={`/${org.slug}/tickets`}>View tickets</Link>
              </Button>
            )
          }
        />
      </main>
    </>
  );
}
