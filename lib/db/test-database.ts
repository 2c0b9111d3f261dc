// Integration-test databases: a fresh, fully migrated database per caller on the server that
// lib/db/test-global-setup.ts provides, so test files never see each other's rows.
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { inject } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import type { Log } from "@/lib/logger";

declare module "vitest" {
  export interface ProvidedContext {
    /** Admin URL of the test Postgres server (any database on it; the role can CREATE DATABASE) */
    databaseUrl: string;
  }
}

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

export interface EmptyDatabase {
  name: string;
  url: string;
  /** Drop the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

export interface TestDatabase {
  url: string;
  /** A Prisma client for this database; drop() disconnects it. */
  db: Db;
  drop(): Promise<void>;
}

const quiet: Log = {
  debug: () => {},
  info: () => {},
  warn: (msg) => console.warn(msg),
  error: (msg) => console.error(msg),
};

/** A new database with every migration in prisma/migrations applied, and a client for it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  try {
    await migrate({ url: empty.url, migrationsDir: MIGRATIONS_DIR, log: quiet });
  } catch (error) {
    await empty.drop();
    throw error;
  }
  const db = createDb(empty.url);
  return {
    url: empty.url,
    db,
    drop: async () => {
      await db.$disconnect();
      await empty.drop();
    },
  };
}

/** A new database with nothing in it (for testing migrations themselves). */
export async function createEmptyDatabase(): Promise<EmptyDatabase> {
  const baseUrl = inject("databaseUrl");
  const name = `trellis_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdmin(baseUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdmin(baseUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ),
  };
}

async function withAdmin(url: string, run: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}
