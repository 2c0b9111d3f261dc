// Vitest globalSetup for the integration project: one Postgres server for the whole run.
// Each test file makes its own database on it with createTestDatabase() (lib/db/test-database).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { env } from "@/lib/env";
import type { Log } from "@/lib/logger";

// Test output stays readable: only problems get through.
const quiet: Log = {
  debug: () => {},
  info: () => {},
  warn: (msg) => console.warn(`[test postgres] ${msg}`),
  error: (msg) => console.error(`[test postgres] ${msg}`),
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = env().DATABASE_URL;
  if (given) {
    // A server you run (CI service container, a local Postgres): the role needs CREATEDB.
    project.provide("databaseUrl", given);
    return async () => {};
  }

  const dir = await mkdtemp(path.join(os.tmpdir(), "trellis-test-"));
  try {
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(dir, "postgres"),
      database: "postgres", // test databases are created per file; no app database needed
      durable: false, // thrown away at the end: skip fsync for speed
      log: quiet,
    });
    project.provide("databaseUrl", postgres.url);
    return async () => {
      await postgres.stop();
      await rm(dir, { recursive: true, force: true });
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
