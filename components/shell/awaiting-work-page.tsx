import { Plus } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireOrgContext } from "@/lib/auth/org-context";
import { can } from "@/lib/orgs/roles";
import { PageHeader } from "./page-header";

/**
 * A view that work has not reached yet (board, graph, agents before any spec runs):
 * it says what will appear and offers the step that gets it there.
 */
export async function AwaitingWorkPage(props: {
  orgSlug: string;
  title: string;
  icon: React.ReactNode;
  emptyTitle: string;
  description: string;
}) {
  const { actor, org } = await requireOrgContext(props.orgSlug);
  return (
    <>
      <PageHeader
        crumbs={[{ label: org.name, href: `/${org.slug}/projects` }, { label: props.title }]}
      />
      <main className="p-6">
        <h1 className="sr-only">{props.title}</h1>
        <EmptyState
          icon={props.icon}
          title={props.emptyTitle}
          description={props.description}
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
