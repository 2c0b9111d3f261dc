import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

const DAY_MS = 24 * 3600 * 1000;
/** The default period: the last 30 days, today included. */
export const DEFAULT_RANGE_DAYS = 30;
const MAX_RANGE_DAYS = 366;

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-22")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "Not a real date");

/** A period of whole UTC days, both ends included; missing ends default to the last 30 days. */
export const costRangeSchema = z
  .object({ from: isoDay.optional(), to: isoDay.optional() })
  .transform((input, ctx) => {
    const today = startOfUtcDay(new Date());
    const to = input.to ? new Date(`${input.to}T00:00:00Z`) : today;
    const from = input.from
      ? new Date(`${input.from}T00:00:00Z`)
      : new Date(to.getTime() - (DEFAULT_RANGE_DAYS - 1) * DAY_MS);
    if (from > to) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "The start is after the end" });
      return z.NEVER;
    }
    if ((to.getTime() - from.getTime()) / DAY_MS + 1 > MAX_RANGE_DAYS) {
      ctx.addIssue({
        code: "custom",
        path: ["from"],
        message: `Choose at most ${MAX_RANGE_DAYS} days`,
      });
      return z.NEVER;
    }
    return { from: toIsoDay(from), to: toIsoDay(to) };
  });
export type CostRangeInput = z.input<typeof costRangeSchema>;

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Model calls (usage records). */
  calls: number;
}

export interface CostSummary {
  range: { from: string; to: string };
  totals: UsageTotals;
  /** Every day of the range, oldest first, zeros included (a chart needs the gaps). */
  byDay: (UsageTotals & { day: string })[];
  /** Most expensive first. */
  byModel: (UsageTotals & { model: string })[];
  /** Most expensive first; `specId` null gathers usage not tied to a spec. */
  bySpec: (UsageTotals & { specId: string | null; title: string })[];
}

interface SumRow {
  inputTokens: bigint | number | null;
  outputTokens: bigint | number | null;
  costUsd: string | null;
  calls: bigint | number;
}

const ZERO: UsageTotals = { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 };

const totalsOf = (row: SumRow): UsageTotals => ({
  inputTokens: Number(row.inputTokens ?? 0),
  outputTokens: Number(row.outputTokens ?? 0),
  costUsd: Number(row.costUsd ?? 0),
  calls: Number(row.calls),
});

/**
 * Tokens and dollars the organization spent in a period of UTC days: totals, per day,
 * per model and per spec, from its usage records (never another organization's).
 */
export async function getCostSummary(
  db: Db,
  options: { actor: Actor; input: CostRangeInput },
): Promise<CostSummary> {
  const { actor } = options;
  assertCan(actor, "read");
  const range = costRangeSchema.parse(options.input);
  const start = new Date(`${range.from}T00:00:00Z`);
  const end = new Date(new Date(`${range.to}T00:00:00Z`).getTime() + DAY_MS);
  const orgId = actor.orgId;

  // Sums in SQL (one row per group); the cost is summed as numeric and read as text so no
  // precision is lost before it reaches JavaScript.
  const [days, models, specs] = await Promise.all([
    db.$queryRaw<(SumRow & { day: string })[]>`
      SELECT to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
             SUM("inputTokens") AS "inputTokens", SUM("outputTokens") AS "outputTokens",
             SUM("costUsd")::text AS "costUsd", COUNT(*) AS calls
      FROM "UsageRecord"
      WHERE "orgId" = ${orgId} AND "createdAt" >= ${start} AND "createdAt" < ${end}
      GROUP BY 1`,
    db.$queryRaw<(SumRow & { model: string })[]>`
      SELECT model,
             SUM("inputTokens") AS "inputTokens", SUM("outputTokens") AS "outputTokens",
             SUM("costUsd")::text AS "costUsd", COUNT(*) AS calls
      FROM "UsageRecord"
      WHERE "orgId" = ${orgId} AND "createdAt" >= ${start} AND "createdAt" < ${end}
      GROUP BY model`,
    db.$queryRaw<(SumRow & { specId: string | null; title: string | null })[]>`
      SELECT u."specId", s.title,
             SUM(u."inputTokens") AS "inputTokens", SUM(u."outputTokens") AS "outputTokens",
             SUM(u."costUsd")::text AS "costUsd", COUNT(*) AS calls
      FROM "UsageRecord" u
      LEFT JOIN "Spec" s ON s.id = u."specId" AND s."orgId" = u."orgId"
      WHERE u."orgId" = ${orgId} AND u."createdAt" >= ${start} AND u."createdAt" < ${end}
      GROUP BY u."specId", s.title`,
  ]);

  const dayTotals = new Map(days.map((row) => [row.day, totalsOf(row)]));
  const byDay: CostSummary["byDay"] = [];
  for (let t = start.getTime(); t < end.getTime(); t += DAY_MS) {
    const day = toIsoDay(new Date(t));
    byDay.push({ day, ...(dayTotals.get(day) ?? ZERO) });
  }
  const byCost = <T extends UsageTotals>(a: T, b: T) => b.costUsd - a.costUsd;
  const byModel = models.map((row) => ({ model: row.model, ...totalsOf(row) })).sort(byCost);
  const bySpec = specs
    .map((row) => ({
      specId: row.specId,
      title: row.specId ? (row.title ?? "Deleted spec") : "Not tied to a spec",
      ...totalsOf(row),
    }))
    .sort(byCost);
  const sum = byModel.reduce<UsageTotals>(
    (acc, row) => ({
      inputTokens: acc.inputTokens + row.inputTokens,
      outputTokens: acc.outputTokens + row.outputTokens,
      costUsd: acc.costUsd + row.costUsd,
      calls: acc.calls + row.calls,
    }),
    ZERO,
  );
  // Costs are stored to the micro-dollar; adding floats must not show 0.30000000000000004.
  const totals = { ...sum, costUsd: Math.round(sum.costUsd * 1e6) / 1e6 };
  return { range, totals, byDay, byModel, bySpec };
}

function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function toIsoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
