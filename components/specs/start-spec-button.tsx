"use client";

import { Sparkles } from "lucide-react";
import { useParams, useRouter } from "next/navigation";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Button } from "@/components/ui/button";

/** Opens a spec for the ticket and starts its requirements phase, then shows the spec. */
export function StartSpecButton({ ticketId }: { ticketId: string }) {
  const router = useRouter();
  const { org } = useParams<{ org: string }>();
  const start = useOrgAction("startTicketSpec");
  return (
    <Button
      size="sm"
      disabled={start.pending}
      onClick={() => start.run({ ticketId }, (spec) => router.push(`/${org}/specs/${spec.id}`))}
    >
      <Sparkles aria-hidden="true" /> {start.pending ? "Starting…" : "Start spec"}
    </Button>
  );
}
