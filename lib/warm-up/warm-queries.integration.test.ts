import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { createTaskScope, createTasks } from "@/lib/tasks/testing/task-fixtures";
import { warmQueries } from "./warm-queries";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function rowCounts() {
  const rows = await database.db.$queryRaw<{ table: string; rows: number }[]>`
    SELECT relname AS table, n_tup_ins + n_tup_upd + n_tup_del AS rows
    FROM pg_stat_user_tables ORDER BY relname`;
  return rows.map((row) => `${row.table}:${row.rows}`);
}

describe("warmQueries", () => {
  it("runs the main pages' queries and writes nothing", async () => {
    const scope = await createTaskScope(database.db);
    await createTasks(database.db, scope, 3);
    // Statistics are per transaction: wait until the fixtures' writes are counted.
    await database.db.$executeRawUnsafe("SELECT pg_stat_force_next_flush()");
    const before = await rowCounts();
    const queries = await warmQueries(database.db);
    expect(queries).toBeGreaterThanOrEqual(10);
    await database.db.$executeRawUnsafe("SELECT pg_stat_force_next_flush()");
    expect(await rowCounts()).toEqual(before);
  });
});
