import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { billingPeriod } from "./plans";

type Tx = Pick<Prisma.TransactionClient, "run">;

/** Agent runs (Run rows) the organization started in the billing period that contains `now`. */
export async function countRuns(tx: Tx, options: { orgId: string; now?: Date }): Promise<number> {
  const { start, end } = billingPeriod(options.now ?? new Date());
  return tx.run.count({ where: { orgId: options.orgId, createdAt: { gte: start, lt: end } } });
}
