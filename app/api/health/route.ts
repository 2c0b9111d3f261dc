// GET /api/health — readiness: the web server and its database. 503 when the database is down.
import { NextResponse } from "next/server";
import { checkDatabase } from "@/lib/db/check-database";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export async function GET() {
  const database = await checkDatabase(db());
  const ok = database.status === "up";
  return NextResponse.json(
    { status: ok ? "ok" : "degraded", database, time: new Date().toISOString() },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
