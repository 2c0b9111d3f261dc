import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";

type Tx = Pick<Prisma.TransactionClient, "usageRecord">;

/** What a spec has cost so far in USD: every model call for it, planning and agents alike. */
export async function specSpendUsd(tx: Tx, specId: string): Promise<number> {
  const total = await tx.usageRecord.aggregate({ where: { specId }, _sum: { costUsd: true } });
  return Number(total._sum.costUsd ?? 0);
}

/** "$1.23" */
export function formatUsd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}
