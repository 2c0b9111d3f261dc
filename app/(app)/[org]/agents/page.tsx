import { Bot } from "lucide-react";
import type { Metadata } from "next";
import { AwaitingWorkPage } from "@/components/shell/awaiting-work-page";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <AwaitingWorkPage
      orgSlug={org}
      title="Agents"
      icon={<Bot />}
      emptyTitle="No agents or runners yet"
      description="Runners pick up approved tasks and run agents on them; they show up here with their heartbeat. File a ticket and approve its spec to give them work."
    />
  );
}
