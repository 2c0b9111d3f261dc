import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type Db = PrismaClient;

function createClient(url: string): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url });
  // Secrets never leave the database layer unless a query asks for them by name.
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true } } });
}

const globalForDb = globalThis as unknown as { trellisDb?: PrismaClient };

/** The process-wide Prisma client. The launcher sets DATABASE_URL (embedded Postgres or yours). */
export function db(): PrismaClient {
  if (globalForDb.trellisDb) return globalForDb.trellisDb;
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start Trellis with `npm start` (it starts an embedded Postgres) or set DATABASE_URL.",
    );
  }
  globalForDb.trellisDb = createClient(url);
  return globalForDb.trellisDb;
}

/** A client for an explicit URL (tests, scripts). The caller disconnects it. */
export function createDb(url: string): PrismaClient {
  return createClient(url);
}
