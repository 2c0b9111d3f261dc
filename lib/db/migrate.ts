import { createHash, randomUUID } from "node:crypto";
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { Log } from "@/lib/logger";

export interface MigrateOptions {
  /** postgresql:// URL of the database to migrate */
  url: string;
  /** Prisma's layout: `<dir>/<name>/migration.sql`, applied in name order */
  migrationsDir: string;
  log?: Log;
}

export interface MigrateResult {
  /** Names of the migrations this run applied, in order */
  applied: string[];
}

export type MigrationErrorCode = "FAILED_MIGRATION_PRESENT" | "MIGRATION_FAILED" | "INVALID_FOLDER";

export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export interface MigrationFile {
  name: string;
  sql: string;
  /** lowercase hex SHA-256 of migration.sql's bytes, as Prisma records it */
  checksum: string;
}

// The lock id `prisma migrate deploy` takes, so our runner and Prisma's exclude each other.
export const MIGRATION_LOCK_ID = 72707369;

// Prisma's own DDL for its history table (Postgres connector), so `prisma migrate deploy`
// and `prisma migrate status` accept a database we migrated.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface HistoryRow {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Apply pending migrations the way `prisma migrate deploy` does (same table, checksums and
 * advisory lock), so any number of processes may run it at once.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? console;
  const migrations = await readMigrations(options.migrationsDir);

  // One dedicated connection: the advisory lock is session-level and must be held by the
  // same session for the whole run (a pool could hand the work to another session).
  const client = new pg.Client({
    connectionString: options.url,
    application_name: "trellis-migrate",
  });
  // Without a listener a dropped connection would crash the process instead of failing a query.
  client.on("error", (error) => log.warn(`migration connection error: ${error.message}`));
  await client.connect();
  try {
    await lock(client, log);
    try {
      return await applyPending(client, migrations, log);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** The migrations in a Prisma migrations folder, in the order they apply. */
export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (error) {
    throw new MigrationError(
      "INVALID_FOLDER",
      `cannot read the migrations folder ${migrationsDir}: ${(error as Error).message}`,
    );
  }
  // Prisma orders by folder name, bytewise (timestamps first), never by locale.
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch {
        throw new MigrationError("INVALID_FOLDER", `migration ${name} has no ${file}`);
      }
      return {
        name,
        sql: bytes.toString("utf8"),
        checksum: createHash("sha256").update(bytes).digest("hex"),
      };
    }),
  );
}

async function lock(client: pg.Client, log: Log): Promise<void> {
  const attempt = await client.query<{ locked: boolean }>(
    "SELECT pg_try_advisory_lock($1) AS locked",
    [MIGRATION_LOCK_ID],
  );
  if (attempt.rows[0]?.locked) return;
  log.info("another process is migrating this database; waiting for it to finish");
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
}

async function applyPending(
  client: pg.Client,
  migrations: MigrationFile[],
  log: Log,
): Promise<MigrateResult> {
  await client.query(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.query<HistoryRow>(
    `SELECT id, checksum, migration_name, started_at, finished_at, rolled_back_at
       FROM "_prisma_migrations" ORDER BY started_at`,
  );

  // Same rule as Prisma (P3009): a started, unfinished, not rolled-back migration means the
  // database is in an unknown state, so nothing else may be applied until someone resolves it.
  const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      "FAILED_MIGRATION_PRESENT",
      `The migration ${failed.migration_name} started at ${failed.started_at.toISOString()} failed ` +
        "(like Prisma's P3009, new migrations will not be applied). Its error is in " +
        `_prisma_migrations.logs. Fix the database by hand, then mark it rolled back:\n` +
        `  UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE id = '${failed.id}';\n` +
        `(or \`prisma migrate resolve --rolled-back ${failed.migration_name}\`) and run the migration again.`,
    );
  }

  const applied = new Map<string, HistoryRow>();
  for (const row of rows) {
    if (row.finished_at !== null && row.rolled_back_at === null) {
      applied.set(row.migration_name, row);
    }
  }
  const local = new Set(migrations.map((m) => m.name));
  for (const name of applied.keys()) {
    if (!local.has(name))
      log.warn(`migration ${name} is applied in the database but missing locally`);
  }

  const done: string[] = [];
  for (const migration of migrations) {
    const row = applied.get(migration.name);
    if (row) {
      if (row.checksum !== migration.checksum) {
        // Prisma warns too: editing an applied migration changes nothing in the database.
        log.warn(
          `migration ${migration.name} was modified after it was applied (checksum differs); ` +
            "the change is not applied — write a new migration instead",
        );
      }
      continue;
    }
    await applyOne(client, migration, log);
    done.push(migration.name);
  }
  return { applied: done };
}

async function applyOne(client: pg.Client, migration: MigrationFile, log: Log): Promise<void> {
  const started = performance.now();
  const id = randomUUID();
  // The row goes in before the script runs, as Prisma does: if this process dies mid-way the
  // unfinished row blocks later runs instead of silently re-running a half-applied script.
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), 0)`,
    [id, migration.checksum, migration.name],
  );
  try {
    // One transaction, so a failing script leaves no partial schema behind. (Statements that
    // cannot run in a transaction, e.g. CREATE INDEX CONCURRENTLY, belong in no migration here.)
    await client.query("BEGIN");
    await client.query(migration.sql); // simple query protocol: many statements in one call
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const message = describeSqlError(error, migration.sql);
    await client
      .query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, message])
      .catch(() => {});
    throw new MigrationError(
      "MIGRATION_FAILED",
      `migration ${migration.name} failed and was rolled back: ${message}`,
    );
  }
  await client.query(
    `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
    [id],
  );
  log.info(`applied migration ${migration.name} (${Math.round(performance.now() - started)} ms)`);
}

function describeSqlError(error: unknown, sql: string): string {
  if (!(error instanceof Error)) return String(error);
  const position = error instanceof pg.DatabaseError ? error.position : undefined;
  const offset = position ? Number.parseInt(position, 10) : Number.NaN;
  if (!Number.isFinite(offset)) return error.message;
  // Postgres reports a 1-based character offset into the whole script; a line number is
  // what a person can act on.
  const line = sql.slice(0, offset - 1).split("\n").length;
  return `${error.message} (migration.sql line ${line})`;
}
