"use client";

import { ExternalLink } from "lucide-react";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Button } from "@/components/ui/button";

/** Opens Stripe Checkout for a plan (the server creates the session; the browser follows its URL). */
export function UpgradeButton({ plan, planName }: { plan: "PRO" | "TEAM"; planName: string }) {
  const checkout = useOrgAction("startCheckout");
  return (
    <Button
      size="sm"
      disabled={checkout.pending}
      onClick={() => checkout.run({ plan }, ({ url }) => window.location.assign(url))}
    >
      {checkout.pending ? "Opening Checkout…" : `Upgrade to ${planName}`}
    </Button>
  );
}

/** Opens the Stripe customer portal: payment method, invoices, plan changes, cancellation. */
export function ManageBillingButton() {
  const portal = useOrgAction("openBillingPortal");
  return (
    <Button
      size="sm"
      variant="outline"
      disabled={portal.pending}
      onClick={() => portal.run({}, ({ url }) => window.location.assign(url))}
    >
      <ExternalLink aria-hidden="true" /> {portal.pending ? "Opening…" : "Manage billing"}
    </Button>
  );
}
