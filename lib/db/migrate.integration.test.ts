import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { MigrationError, migrate } from "@/lib/db/migrate";
import { createEmptyDatabase, type EmptyDatabase, MIGRATIONS_DIR } from "@/lib/db/test-database";
import type { Log } from "@/lib/logger";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}

const databases: EmptyDatabase[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function freshDatabase(): Promise<EmptyDatabase> {
  const database = await createEmptyDatabase();
  databases.push(database);
  return database;
}

/** A migrations folder in Prisma's layout holding `files` ({ name: sql }). */
async function migrationsFolder(files: Record<string, string>, copyReal = false): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "trellis-migrations-"));
  tempDirs.push(dir);
  if (copyReal) await cp(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name), { recursive: true });
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

async function realMigrationNames(): Promise<string[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

function history(url: string): Promise<HistoryRow[]> {
  return query<HistoryRow>(
    url,
    `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs
       FROM "_prisma_migrations" ORDER BY started_at`,
  );
}

function capture(): Log & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug: () => {},
    info: () => {},
    warn: (msg) => warnings.push(msg),
    error: () => {},
  };
}

async function migrationError(promise: Promise<unknown>): Promise<MigrationError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof MigrationError))
    throw new Error(`expected a MigrationError, got ${String(error)}`);
  return error;
}

function runMigrateScript(
  url: string,
  dir: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      ["scripts/migrate.ts", "--dir", dir],
      // The child inherits this environment with the test database as its target.
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

describe("migrate", () => {
  it("applies every migration once, recorded as prisma migrate deploy records it", async () => {
    const names = await realMigrationNames();
    expect(names.length).toBeGreaterThan(0);
    const { url } = await freshDatabase();

    const first = await migrate({ url, migrationsDir: MIGRATIONS_DIR, log: capture() });
    expect(first.applied).toEqual(names);

    const rows = await history(url);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    for (const row of rows) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }

    const second = await migrate({ url, migrationsDir: MIGRATIONS_DIR, log: capture() });
    expect(second.applied).toEqual([]);
    expect(await history(url)).toHaveLength(names.length);
  });

  it("applies each migration exactly once when two processes migrate at the same time", async () => {
    const { url } = await freshDatabase();
    // The first migration holds the lock long enough for the second process to arrive.
    const dir = await migrationsFolder(
      { "00000000000000_hold_lock": "SELECT pg_sleep(1.5);" },
      true,
    );
    const expected = ["00000000000000_hold_lock", ...(await realMigrationNames())];

    const runs = await Promise.all([runMigrateScript(url, dir), runMigrateScript(url, dir)]);

    for (const run of runs) expect(run.code, run.output).toBe(0);
    const counts = await query<{ migration_name: string; n: number }>(
      url,
      `SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL GROUP BY migration_name`,
    );
    expect(counts.map((c) => c.migration_name).sort()).toEqual(expected);
    expect(counts.every((c) => c.n === 1)).toBe(true);
    expect((await history(url)).length).toBe(expected.length);
    const outputs = runs.map((run) => run.output).join("\n");
    expect(outputs).toContain(`Applied ${expected.length} migrations`);
    expect(outputs).toContain("No pending migrations");
  });

  it("leaves a failed migration recorded as failed and refuses to go on until it is resolved", async () => {
    const { url } = await freshDatabase();
    const dir = await migrationsFolder({
      "20000101000000_ok": 'CREATE TABLE "Kept" (id int);',
      "20000101000001_bad": 'CREATE TABLE "Half" (id int);\nSELECT no_such_function();\n',
    });

    const failure = await migrationError(migrate({ url, migrationsDir: dir, log: capture() }));
    expect(failure.code).toBe("MIGRATION_FAILED");
    expect(failure.message).toContain("20000101000001_bad");
    expect(failure.message).toContain("no_such_function");
    expect(failure.message).toContain("line 2");

    const rows = await history(url);
    expect(rows.map((r) => [r.migration_name, r.finished_at !== null])).toEqual([
      ["20000101000000_ok", true],
      ["20000101000001_bad", false],
    ]);
    const bad = rows[1]!;
    expect(bad.rolled_back_at).toBeNull();
    expect(bad.logs).toContain("no_such_function");
    // The failing script ran in a transaction: nothing of it is left behind.
    const tables = await query<{ name: string }>(
      url,
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((t) => t.name).sort()).toEqual(["Kept", "_prisma_migrations"]);

    const refusal = await migrationError(migrate({ url, migrationsDir: dir, log: capture() }));
    expect(refusal.code).toBe("FAILED_MIGRATION_PRESENT");
    expect(refusal.message).toMatch(/20000101000001_bad.*failed/);
    expect(refusal.message).toContain("rolled_back_at");
    expect(await history(url)).toHaveLength(2);

    // Resolving it the way Prisma documents (mark rolled back, fix the script) unblocks it.
    await query(
      url,
      `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE finished_at IS NULL`,
    );
    await writeFile(
      path.join(dir, "20000101000001_bad", "migration.sql"),
      'CREATE TABLE "Half" (id int);',
    );
    const retry = await migrate({ url, migrationsDir: dir, log: capture() });
    expect(retry.applied).toEqual(["20000101000001_bad"]);
  });

  it("warns, without failing, when an applied migration was edited afterwards", async () => {
    const { url } = await freshDatabase();
    const dir = await migrationsFolder({ "20000101000000_one": 'CREATE TABLE "One" (id int);' });
    await migrate({ url, migrationsDir: dir, log: capture() });

    await writeFile(
      path.join(dir, "20000101000000_one", "migration.sql"),
      'CREATE TABLE "One" (id bigint);',
    );
    const log = capture();
    const rerun = await migrate({ url, migrationsDir: dir, log });

    expect(rerun.applied).toEqual([]);
    expect(log.warnings.join("\n")).toMatch(/20000101000000_one was modified after it was applied/);
  });
});
