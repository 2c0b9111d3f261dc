import { defineConfig } from "prisma/config";

// The CLI is used only for `prisma generate` here (migrations are committed SQL
// applied by scripts/migrate.ts), so the URL is a placeholder when none is set.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/trellis" },
});
