import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type Db = PrismaClient;

/**
 * Hot statements are marked with a leading comment (`/* trellis:claim-tasks *\/`) and prepared
 * once per connection under that name, skipping the planner's work on every call (about 20% more
 * claims per second in bench/scheduler). Everything else stays unnamed.
 */
const MARKED_STATEMENT = /^\s*\/\* trellis:([a-z-]+) \*\//;

function statementName(query: { sql: string }): string {
  const marked = MARKED_STATEMENT.exec(query.sql);
  return marked ? `trellis_${marked[1]!.replace(/-/g, "_")}` : "";
}

function createClient(url: string): PrismaClient {
  const adapter = new PrismaPg(
    { connectionString: url },
    { statementNameGenerator: statementName },
  );
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
