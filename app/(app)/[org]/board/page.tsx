import { KanbanSquare } from "lucide-react";
import type { Metadata } from "next";
import { AwaitingWorkPage } from "@/components/shell/awaiting-work-page";

export const metadata: Metadata = { title: "Board" };

export default async function BoardPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <AwaitingWorkPage
      orgSlug={org}
      title="Board"
      icon={<KanbanSquare />}
      emptyTitle="No tasks yet"
      description="Tasks appear here, in columns by status, once a ticket's spec is approved and broken into tasks. File a ticket to start: Trellis drafts its requirements, design and tasks for your review."
    />
  );
}
