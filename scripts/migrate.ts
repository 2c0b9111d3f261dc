// npm run db:migrate [-- --dir <migrations folder>]
// Applies prisma/migrations to DATABASE_URL, or, when it is unset, to the embedded Postgres
// under DATA_DIR (started for the run and stopped afterwards).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import type { Log } from "@/lib/logger";

const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL("../prisma/migrations", import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: "string" } } });
  const migrationsDir = path.resolve(values.dir ?? DEFAULT_MIGRATIONS_DIR);
  const config = env();
  // A command for people: plain lines, Postgres chatter only when asked for.
  const verbose = config.LOG_LEVEL === "debug" || config.LOG_LEVEL === "trace";
  const log: Log = {
    debug: (msg) => {
      if (verbose) console.log(msg);
    },
    info: (msg) => console.log(msg),
    warn: (msg) => console.warn(`warning: ${msg}`),
    error: (msg) => console.error(msg),
  };

  let target: string;
  let applied: string[];
  if (config.DATABASE_URL) {
    target = redact(config.DATABASE_URL);
    ({ applied } = await migrate({ url: config.DATABASE_URL, migrationsDir, log }));
  } else {
    const dataDir = path.resolve(config.DATA_DIR, "postgres");
    const postgres = await startEmbeddedPostgres({ dataDir, port: config.EMBEDDED_PG_PORT, log });
    target = `the embedded Postgres in ${dataDir}`;
    try {
      ({ applied } = await migrate({ url: postgres.url, migrationsDir, log }));
    } finally {
      await postgres.stop();
    }
  }

  if (applied.length === 0) console.log(`No pending migrations for ${target}.`);
  else {
    const noun = applied.length === 1 ? "migration" : "migrations";
    console.log(`Applied ${applied.length} ${noun} to ${target}: ${applied.join(", ")}`);
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

main().catch((error: unknown) => {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
