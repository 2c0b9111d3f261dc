// Direct database access for e2e setup: the server under test (playwright.config.ts) keeps its
// embedded Postgres in .test-data/e2e; its port is in postmaster.pid and its password beside it.
// Tests seed rows the UI cannot make quickly (a board of tasks in every status) with the same
// fixtures the integration tests use, then drive everything else through the browser.
import { readFileSync } from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { neverClaimable } from "@/lib/tasks/testing/board-fixtures";
import { createTaskScope, createTasks, type TaskSeed } from "@/lib/tasks/testing/task-fixtures";

// DATA_DIR of the webServer in playwright.config.ts (E2E_POSTGRES_DIR points at another server's).
const postgresDir = path.resolve(process.env.E2E_POSTGRES_DIR ?? ".test-data/e2e/postgres");

export function e2eDatabaseUrl(): string {
  // postmaster.pid: line 4 is the port.
  const port = Number(
    readFileSync(path.join(postgresDir, "postmaster.pid"), "utf8").split("\n")[3],
  );
  const password = readFileSync(path.join(postgresDir, "trellis-password"), "utf8").trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/trellis`;
}

/** Runs `work` with a Prisma client on the e2e server's database, then disconnects. */
export async function withE2eDb<T>(work: (db: PrismaClient) => Promise<T>): Promise<T> {
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

/** The id of the organization with this slug. */
export async function orgIdOf(db: PrismaClient, slug: string): Promise<string> {
  return (await db.organization.findUniqueOrThrow({ where: { slug }, select: { id: true } })).id;
}

/**
 * Tasks on the board of the organization with this slug, in one executing spec
 * of a fresh project: `tasks` in queue order (rank = index). Returns the ids.
 */
export async function seedBoardTasks(
  orgSlug: string,
  tasks: TaskSeed[],
  scopeName = "Checkout",
): Promise<string[]> {
  return withE2eDb(async (db) => {
    const scope = await createTaskScope(db, { orgId: await orgIdOf(db, orgSlug), name: scopeName });
    return createTasks(db, scope, tasks.length, (i) => ({
      rank: i,
      // The worker in the e2e server must leave seeded tasks alone.
      notBefore: neverClaimable,
      timeoutSeconds: 7 * 24 * 3600,
      ...tasks[i],
    }));
  });
}
