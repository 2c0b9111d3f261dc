import { readFileSync } from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * The URL of the database the e2e server uses: DATABASE_URL when the run sets one (the
 * launcher uses it too), else the embedded Postgres the launcher started under
 * `.test-data/e2e` (playwright.config.ts): its password file and the port in postmaster.pid.
 */
export function e2eDatabaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const dir = path.resolve(".test-data/e2e/postgres");
  const password = readFileSync(path.join(dir, "trellis-password"), "utf8").trim();
  // postmaster.pid: pid, data directory, start time, port, …
  const port = readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[3]?.trim();
  if (!port) throw new Error(`no port in ${dir}/postmaster.pid: is the e2e server running?`);
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/trellis`;
}

/**
 * A Prisma client on the e2e server's database, for seeding what the UI cannot make
 * quickly (task graphs in given states, usage). Pages are still reached only through
 * the real sign-in. The caller disconnects it.
 */
export function e2eDb(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
}
