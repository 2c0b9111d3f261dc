import { Bot, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireOrgContext } from "@/lib/auth/org-context";
import { can } from "@/lib/orgs/roles";

export const metadata: Metadata = { title: "Agents" };

// Filled in by later work; until then the page teaches how work reaches it.
export default async function AgentsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: orgSlug } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  return (
    <>
      <PageHeader
        crumbs={[{ label: org.name, href: `/${org.slug}/projects` }, { label: "Agents" }]}
      />
      <main className="p-6">
        <h1 className="sr-only">Agents</h1>
        <EmptyState
          icon={<Bot />}
          title="No agents or runners yet"
          description="Runners pick up approved tasks and run agents on them; they show up here with their heartbeat. File a ticket and approve its spec to give them work."
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
