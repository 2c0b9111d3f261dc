import { Plus } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/**
 * The empty state of a view that work has not reached yet (board, graph, activity, agents,
 * costs): it says what will appear and offers the step that gets it there. Everyone gets the
 * tickets (where specs are drafted and reviewed), people who may file one a New ticket button
 * first; `actions` adds what is specific to the view.
 */
export function AwaitingWork({
  orgSlug,
  canWrite,
  icon,
  title,
  description,
  actions,
  headingLevel,
}: {
  orgSlug: string;
  canWrite: boolean;
  icon: React.ReactNode;
  title: string;
  description: string;
  actions?: React.ReactNode;
  headingLevel?: 2 | 3;
}) {
  return (
    <EmptyState
      icon={icon}
      title={title}
      description={description}
      headingLevel={headingLevel}
      action={
        <>
          {canWrite ? (
            <Button asChild size="sm">
              <Link href={`/${orgSlug}/tickets/new`}>
                <Plus aria-hidden="true" /> New ticket
              </Link>
            </Button>
          ) : null}
          <Button asChild size="sm" variant="outline">
            <Link href={`/${orgSlug}/tickets`}>View tickets</Link>
          </Button>
          {actions}
        </>
      }
    />
  );
}
