// npm run db:seed — a demo account to look around with, built from the same
// factories the tests use. Idempotent: a second run changes nothing.
//   email: demo@trellis.local   password: trellis-demo
import { execFileSync } from "node:child_process";
import { signUp } from "@/lib/auth/sign-up";
import { createDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { Actor } from "@/lib/orgs/roles";
import { createProject } from "@/lib/projects/create-project";
import { createTicket } from "@/lib/tickets/create-ticket";

const email = "demo@trellis.local";
const password = "trellis-demo";

const url = env().DATABASE_URL;
if (!url) {
  console.error(
    "Set DATABASE_URL (npm start prints the embedded database's URL) or run against your own Postgres.",
  );
  process.exit(1);
}
const db = createDb(url);
try {
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) {
    console.log(`Seed already present: sign in as ${email} / ${password}`);
  } else {
    const { user, org } = await signUp(db, { name: "Demo", email, password });
    const actor: Actor = { userId: user.id, orgId: org.id, role: "OWNER" };
    // This checkout is a real git repository: the demo project points at it.
    const root = execFileSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8" }).trim();
    const project = await createProject(db, {
      actor,
      input: { name: "Trellis", localPath: root, testCommand: "npm test" },
    });
    for (const [title, priority] of [
      ["Add a dark-mode toggle to the settings page", "LOW"],
      ["Rate-limit the public API per key", "HIGH"],
      ["Show cost per spec on the dashboard", "MEDIUM"],
    ] as const) {
      await createTicket(db, { actor, input: { projectId: project.id, title, priority } });
    }
    console.log(`Seeded: sign in as ${email} / ${password}`);
  }
} finally {
  await db.$disconnect();
}
