import { Network } from "lucide-react";
import type { Metadata } from "next";
import { AwaitingWorkPage } from "@/components/shell/awaiting-work-page";

export const metadata: Metadata = { title: "Graph" };

export default async function GraphPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <AwaitingWorkPage
      orgSlug={org}
      title="Graph"
      icon={<Network />}
      emptyTitle="No task graph yet"
      description="When a ticket's spec is approved, its tasks and their dependencies are drawn here, with the critical path highlighted. File a ticket to start."
    />
  );
}
