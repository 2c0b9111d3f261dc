// npm run db:draft-migration -- <name>
// Drafts prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes a
// database built from the committed migrations to prisma/schema.prisma. Review it
// before committing (renames show as drop + add). Uses a throw-away embedded Postgres.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";
import { sqlFromDatabase } from "@/lib/db/schema-engine";
import { slugify } from "@/lib/utils/slugify";

const name = slugify(process.argv[2] ?? "").replace(/-/g, "_");
if (!name) {
  console.error("Usage: npm run db:draft-migration -- <name>   (e.g. add_ticket_estimate)");
  process.exit(1);
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "trellis-draft-"));
const server = await startEmbeddedPostgres({ dataDir });
try {
  await migrate({ url: server.url, migrationsDir: "prisma/migrations" });
  const sql = await sqlFromDatabase("prisma/schema.prisma", server.url);
  if (!sql) {
    console.log("schema.prisma and the migrations agree: nothing to draft.");
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const dir = path.join("prisma/migrations", `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), `${sql}\n`);
    console.log(`Drafted ${dir}/migration.sql — review it, then run npm run db:migrate.`);
  }
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
