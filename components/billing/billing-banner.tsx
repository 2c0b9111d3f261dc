import { TriangleAlert } from "lucide-react";
import Link from "next/link";

/**
 * Shown on every page of an organization that cannot start new runs (overdue payment, or the
 * month's runs used up): what is wrong and, when billing is on, the way to the billing page that
 * fixes it (with billing off that page can change nothing, so there is no link).
 */
export function BillingBanner({
  orgSlug,
  message,
  billingPage,
}: {
  orgSlug: string;
  message: string;
  billingPage: boolean;
}) {
  return (
    <section
      aria-label="Billing notice"
      className="flex items-center gap-2 border-status-attention/40 border-b bg-status-attention/10 px-4 py-2 text-sm"
    >
      <TriangleAlert aria-hidden="true" className="size-4 shrink-0 text-status-attention" />
      <p className="min-w-0 flex-1">{message}</p>
      {billingPage ? (
        <Link
          href={`/${orgSlug}/settings/billing`}
          className="shrink-0 font-medium underline underline-offset-4 hover:no-underline"
        >
          Go to billing
        </Link>
      ) : null}
    </section>
  );
}
