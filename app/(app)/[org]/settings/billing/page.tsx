import { Check, Info } from "lucide-react";
import type { Metadata } from "next";
import type * as React from "react";
import { ManageBillingButton, UpgradeButton } from "@/components/billing/billing-actions";
import { UsageMeter } from "@/components/billing/usage-meter";
import { LiveRefresh } from "@/components/execution/live-refresh";
import { PageHeader } from "@/components/shell/page-header";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Card, CardContent, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { requireOrgContext } from "@/lib/auth/org-context";
import { getBillingOverview } from "@/lib/billing/get-billing-overview";
import { planDescriptions, planName, planOrder, plans, stripePrices } from "@/lib/billing/plans";
import { db } from "@/lib/db/client";
import { stripeEnabled } from "@/lib/env";
import type { SubscriptionStatus } from "@/lib/generated/prisma/enums";
import { can } from "@/lib/orgs/roles";

export const metadata: Metadata = { title: "Billing" };

const dayFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const numberFormat = new Intl.NumberFormat("en");
const usdFormat = new Intl.NumberFormat("en", { style: "currency", currency: "USD" });

// Colour carries meaning only (DESIGN.md): paid = done, overdue = attention, unpaid = failed.
const statusBadges: Record<SubscriptionStatus, { label: string; variant: BadgeVariant }> = {
  NONE: { label: "No subscription", variant: "muted" },
  TRIALING: { label: "Trial", variant: "done" },
  ACTIVE: { label: "Active", variant: "done" },
  PAST_DUE: { label: "Past due", variant: "attention" },
  UNPAID: { label: "Unpaid", variant: "failed" },
  CANCELED: { label: "Canceled", variant: "muted" },
  INCOMPLETE: { label: "Awaiting payment", variant: "muted" },
  INCOMPLETE_EXPIRED: { label: "Checkout expired", variant: "muted" },
  PAUSED: { label: "Paused", variant: "muted" },
};

/** A plan card's line for one limit: "10 projects", or "Unlimited projects" for a plan without it. */
function limitLine(allowed: number | null, one: string, many: string): string {
  if (allowed === null) return `Unlimited ${many}`;
  return `${numberFormat.format(allowed)} ${allowed === 1 ? one : many}`;
}

function Notice({ children }: { children: React.ReactNode }) {
  return (
    <p className="flex items-start gap-2 rounded-lg border bg-muted/40 px-3 py-2 text-sm">
      <Info aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
      <span>{children}</span>
    </p>
  );
}

export default async function BillingPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ checkout?: string }>;
}) {
  const { org: orgSlug } = await params;
  const { checkout } = await searchParams;
  const { actor, org } = await requireOrgContext(orgSlug);
  const billing = await getBillingOverview(db(), { actor });
  const configured = stripeEnabled();
  const prices = configured ? stripePrices() : {};
  const canManage = can(actor.role, "manage");
  const status = statusBadges[billing.subscriptionStatus];
  // Back from Checkout before Stripe's webhook arrived: look again every two seconds.
  const awaitingWebhook = checkout === "success" && billing.plan === "FREE";
  const tokens = billing.usage.inputTokens + billing.usage.outputTokens;
  const periodLabel = `${dayFormat.format(billing.period.start)} – ${dayFormat.format(
    new Date(billing.period.end.getTime() - 1),
  )}`;

  return (
    <>
      <PageHeader
        crumbs={[
          { label: org.name, href: `/${org.slug}/projects` },
          { label: "Settings", href: `/${org.slug}/settings` },
          { label: "Billing" },
        ]}
      />
      <main className="grid grid-cols-1 max-w-4xl gap-8 p-4 md:p-6">
        <h1 className="font-semibold text-lg">Billing</h1>
        <LiveRefresh active={awaitingWebhook} />

        {awaitingWebhook ? (
          <Notice>Payment received. Waiting for Stripe to confirm the subscription…</Notice>
        ) : null}
        {checkout === "cancelled" ? (
          <Notice>Checkout was cancelled; nothing was charged.</Notice>
        ) : null}
        {configured ? null : billing.plan === "SELF_HOSTED" ? (
          <Notice>
            Billing is off on this server (STRIPE_SECRET_KEY is not set), so {org.name} is on the
            Self-hosted plan: no limits on projects or runs, and up to{" "}
            {billing.limits.concurrentAgents} agents at once, as many as the workers run.
          </Notice>
        ) : (
          <Notice>
            Billing is off on this server (STRIPE_SECRET_KEY is not set), so {org.name} keeps the
            plan stored for it, {planName(billing.plan)}, and its limits; the plan cannot be changed
            here.
          </Notice>
        )}

        <section aria-labelledby="current-plan" className="grid gap-3">
          <h2 id="current-plan" className="font-medium text-sm">
            Current plan
          </h2>
          <div className="grid gap-4 rounded-lg border p-4 text-dense">
            <dl className="grid max-w-xl grid-cols-[8rem_1fr] gap-x-4 gap-y-2">
              <dt className="text-muted-foreground">Plan</dt>
              <dd data-testid="current-plan">
                <Badge variant="outline">{planName(billing.plan)}</Badge>
              </dd>
              <dt className="text-muted-foreground">Subscription</dt>
              <dd>
                <Badge variant={status.variant}>{status.label}</Badge>
              </dd>
              {billing.currentPeriodEnd ? (
                <>
                  <dt className="text-muted-foreground">
                    {billing.subscriptionStatus === "CANCELED" ? "Ended" : "Current period ends"}
                  </dt>
                  <dd>{dayFormat.format(billing.currentPeriodEnd)}</dd>
                </>
              ) : null}
            </dl>
            {billing.blocked ? (
              <p className="text-sm">
                The last payment failed, so new runs are paused. Update the payment method in Manage
                billing; work resumes as soon as Stripe confirms the payment.
              </p>
            ) : null}
            {configured && billing.hasBillingAccount && canManage ? (
              <div>
                <ManageBillingButton />
              </div>
            ) : null}
          </div>
        </section>

        <section aria-labelledby="usage" className="grid gap-3">
          <div className="grid gap-1">
            <h2 id="usage" className="font-medium text-sm">
              Usage this month
            </h2>
            <p className="text-muted-foreground text-sm">{periodLabel} (UTC)</p>
          </div>
          <div className="grid gap-4 rounded-lg border p-4 text-dense">
            <ul className="grid max-w-xl gap-3">
              <UsageMeter
                label="Runs"
                used={billing.usage.runs}
                allowed={billing.limits.runsPerMonth}
              />
              <UsageMeter
                label="Projects"
                used={billing.usage.projects}
                allowed={billing.limits.projects}
              />
              <UsageMeter
                label="Agents running now"
                used={billing.usage.activeAgents}
                allowed={billing.limits.concurrentAgents}
              />
            </ul>
            <dl className="grid max-w-xl grid-cols-[8rem_1fr] gap-x-4 gap-y-2">
              <dt className="text-muted-foreground">Tokens</dt>
              <dd className="font-mono text-xs leading-5 tabular-nums">
                {numberFormat.format(tokens)} ({numberFormat.format(billing.usage.inputTokens)} in,{" "}
                {numberFormat.format(billing.usage.outputTokens)} out)
              </dd>
              <dt className="text-muted-foreground">Model cost</dt>
              <dd className="font-mono text-xs leading-5 tabular-nums">
                {usdFormat.format(billing.usage.costUsd)}
              </dd>
            </dl>
          </div>
        </section>

        {configured ? (
          <section aria-labelledby="plans" className="grid gap-3">
            <div className="grid gap-1">
              <h2 id="plans" className="font-medium text-sm">
                Plans
              </h2>
              {canManage ? null : (
                <p className="text-muted-foreground text-sm">
                  Only owners and admins can change the plan.
                </p>
              )}
            </div>
            <ul className="grid gap-4 md:grid-cols-3">
              {planOrder.map((plan) => {
                const description = planDescriptions[plan];
                const limits = plans[plan];
                const isCurrent = plan === billing.plan;
                // From Free every paid plan is an upgrade; paying ones change plan in the portal.
                const upgradable =
                  plan !== "FREE" && billing.plan === "FREE" && canManage && Boolean(prices[plan]);
                return (
                  <li key={plan}>
                    <Card className="h-full">
                      <CardHeader>
                        <CardTitle>
                          <h3 className="flex items-center gap-2">
                            {description.name}
                            {isCurrent ? <Badge variant="secondary">Current plan</Badge> : null}
                          </h3>
                        </CardTitle>
                        <p className="text-muted-foreground">{description.summary}</p>
                      </CardHeader>
                      <CardContent className="grid flex-1 content-start gap-3">
                        <p>
                          <span className="font-semibold text-lg">
                            {usdFormat.format(description.priceUsdPerMonth)}
                          </span>{" "}
                          <span className="text-muted-foreground">a month</span>
                        </p>
                        <ul className="grid gap-1">
                          {[
                            limitLine(limits.projects, "project", "projects"),
                            limitLine(limits.concurrentAgents, "agent at once", "agents at once"),
                            limitLine(limits.runsPerMonth, "run a month", "runs a month"),
                            ...description.features,
                          ].map((line) => (
                            <li key={line} className="flex items-start gap-2">
                              <Check
                                aria-hidden="true"
                                className="mt-0.5 size-3.5 shrink-0 text-status-done"
                              />
                              {line}
                            </li>
                          ))}
                        </ul>
                      </CardContent>
                      {upgradable ? (
                        <CardFooter>
                          <UpgradeButton plan={plan} planName={description.name} />
                        </CardFooter>
                      ) : null}
                    </Card>
                  </li>
                );
              })}
            </ul>
            {configured && billing.plan !== "FREE" && canManage ? (
              <p className="text-muted-foreground text-sm">
                To switch plans or cancel, use Manage billing.
              </p>
            ) : null}
          </section>
        ) : null}
      </main>
    </>
  );
}
