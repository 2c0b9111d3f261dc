import { Coins } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import type * as React from "react";
import {
  CostBreakdownChart,
  CostByDayChart,
  TokensByDayChart,
} from "@/components/costs/cost-charts";
import { formatDay, formatTokens, formatUsd } from "@/components/costs/format";
import { UsageTable } from "@/components/costs/usage-table";
import { AwaitingWork } from "@/components/shell/awaiting-work";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { requireOrgContext } from "@/lib/auth/org-context";
import { costRangeSchema, getCostSummary } from "@/lib/costs/get-cost-summary";
import { db } from "@/lib/db/client";
import { can } from "@/lib/orgs/roles";

export const metadata: Metadata = { title: "Costs" };

const presets = [7, 30, 90];
const DAY_MS = 24 * 3600 * 1000;

export default async function CostsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ from?: string; to?: string }>;
}) {
  const { org: orgSlug } = await params;
  const query = await searchParams;
  const { actor, org } = await requireOrgContext(orgSlug);
  // A bad period in the URL is said out loud and replaced by the default one.
  const parsed = costRangeSchema.safeParse({
    from: typeof query.from === "string" && query.from ? query.from : undefined,
    to: typeof query.to === "string" && query.to ? query.to : undefined,
  });
  const rangeError = parsed.success ? null : (parsed.error.issues[0]?.message ?? "Invalid period");
  const summary = await getCostSummary(db(), {
    actor,
    input: parsed.success ? parsed.data : {},
  });
  const { range, totals } = summary;
  const basePath = `/${org.slug}/costs`;
  const today = new Date().toISOString().slice(0, 10);
  const period = `${formatDay(range.from)} – ${formatDay(range.to)} (UTC)`;

  return (
    <>
      <PageHeader
        crumbs={[{ label: org.name, href: `/${org.slug}/projects` }, { label: "Costs" }]}
      />
      <main className="grid grid-cols-1 gap-6 p-4 md:p-6">
        <div className="flex flex-wrap items-end gap-4">
          <div className="grid gap-0.5">
            <h1 className="font-semibold text-lg">Costs</h1>
            <p className="text-muted-foreground text-sm">Model tokens and dollars, {period}</p>
          </div>
          <nav aria-label="Quick periods" className="ml-auto flex gap-1">
            {presets.map((days) => {
              const from = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS)
                .toISOString()
                .slice(0, 10);
              const current = range.from === from && range.to === today;
              return (
                <Button key={days} asChild size="sm" variant={current ? "secondary" : "ghost"}>
                  <Link
                    href={`${basePath}?from=${from}&to=${today}`}
                    aria-current={current ? "page" : undefined}
                  >
                    {days} days
                  </Link>
                </Button>
              );
            })}
          </nav>
          <form method="get" action={basePath} className="flex items-end gap-2">
            <div className="grid gap-1">
              <Label htmlFor="costs-from" className="text-xs">
                From
              </Label>
              <Input
                id="costs-from"
                type="date"
                name="from"
                defaultValue={range.from}
                className="h-8"
              />
            </div>
            <div className="grid gap-1">
              <Label htmlFor="costs-to" className="text-xs">
                To
              </Label>
              <Input id="costs-to" type="date" name="to" defaultValue={range.to} className="h-8" />
            </div>
            <Button type="submit" size="sm" variant="outline">
              Apply
            </Button>
          </form>
        </div>
        {rangeError ? (
          <p role="alert" className="text-destructive text-sm">
            {rangeError}. Showing the last 30 days instead.
          </p>
        ) : null}

        <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          {[
            { label: "Cost", value: formatUsd(totals.costUsd) },
            { label: "Input tokens", value: totals.inputTokens.toLocaleString("en-US") },
            { label: "Output tokens", value: totals.outputTokens.toLocaleString("en-US") },
            { label: "Model calls", value: totals.calls.toLocaleString("en-US") },
          ].map((item) => (
            <div key={item.label} className="rounded-lg border bg-card px-4 py-3">
              <dt className="text-muted-foreground text-xs">{item.label}</dt>
              <dd className="font-mono font-semibold text-xl tabular-nums">{item.value}</dd>
            </div>
          ))}
        </dl>

        {totals.calls === 0 ? (
          <AwaitingWork
            orgSlug={org.slug}
            canWrite={can(actor.role, "write")}
            icon={<Coins />}
            title="No model usage in this period"
            description="Every model call is counted here: drafting requirements, designs and task graphs, and agents working on tasks. Start a spec from a ticket, or pick a longer period above."
          />
        ) : (
          <div className="grid gap-6 xl:grid-cols-2">
            <ChartCard id="cost-by-day" title="Cost by day">
              <CostByDayChart data={summary.byDay} title={`Cost by day, ${period}`} />
              <details className="text-sm">
                <summary className="cursor-pointer text-muted-foreground text-xs">
                  Show as a table
                </summary>
                <UsageTable
                  caption="Cost and tokens by day"
                  first="Day"
                  rows={summary.byDay
                    .filter((d) => d.calls > 0)
                    .map((d) => ({ key: d.day, label: formatDay(d.day), ...d }))}
                />
              </details>
            </ChartCard>
            <ChartCard id="tokens-by-day" title="Tokens by day">
              <TokensByDayChart
                data={summary.byDay}
                title={`Input and output tokens by day, ${period}`}
              />
              <p className="text-muted-foreground text-xs">
                {formatTokens(totals.inputTokens)} in, {formatTokens(totals.outputTokens)} out. The
                table under “Cost by day” lists them per day.
              </p>
            </ChartCard>
            <ChartCard id="cost-by-model" title="By model">
              <CostBreakdownChart
                title={`Cost by model, ${period}`}
                data={summary.byModel.map((m) => ({ label: m.model, costUsd: m.costUsd }))}
              />
              <UsageTable
                caption="Cost and tokens by model"
                first="Model"
                mono
                rows={summary.byModel.map((m) => ({ key: m.model, label: m.model, ...m }))}
              />
            </ChartCard>
            <ChartCard id="cost-by-spec" title="By spec">
              <CostBreakdownChart
                title={`Cost by spec (top 10), ${period}`}
                data={summary.bySpec
                  .slice(0, 10)
                  .map((s) => ({ label: s.title, costUsd: s.costUsd }))}
              />
              <UsageTable
                caption="Cost and tokens by spec"
                first="Spec"
                rows={summary.bySpec.map((s) => ({
                  key: s.specId ?? "none",
                  label: s.title,
                  href: s.specId ? `/${org.slug}/specs/${s.specId}` : undefined,
                  ...s,
                }))}
              />
            </ChartCard>
          </div>
        )}
      </main>
    </>
  );
}

function ChartCard({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: React.ReactNode;
}) {
  return (
    <section
      aria-labelledby={id}
      className="grid content-start gap-3 rounded-lg border bg-card p-4"
    >
      <h2 id={id} className="font-medium text-sm">
        {title}
      </h2>
      {children}
    </section>
  );
}
