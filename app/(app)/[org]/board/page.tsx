import { KanbanSquare, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireOrgContext } from "@/lib/auth/org-context";
import { can } from "@/lib/orgs/roles";

export const metadata: Metadata = { title: "Board" };

// Filled in by later work; until then the page teaches how work reaches it.
export default async function BoardPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: orgSlug } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  return (
    <>
      <PageHeader
        crumbs={[{ label: org.name, href: `/${org.slug}/projects` }, { label: "Board" }]}
      />
      <main className="p-6">
        <h1 className="sr-only">Board</h1>
        <EmptyState
          icon={<KanbanSquare />}
          title="No tasks yet"
          description="Tasks appear here, in columns by status, once a ticket's spec is approved and broken into tasks. File a ticket to start: Trellis drafts its requirements, design and tasks for your review."
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
