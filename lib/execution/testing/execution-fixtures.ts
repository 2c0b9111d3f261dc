// Shared by the execution integration tests: approved task graphs on fresh git repositories,
// polling with a readable failure, and git reads.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/orgs/roles";
import { createProject } from "@/lib/projects/create-project";
import { approvePhase } from "@/lib/specs/approve-phase";
import type { TasksContent } from "@/lib/specs/artifact-schemas";
import { createSpec } from "@/lib/specs/create-spec";
import { makeGitRepo } from "@/lib/testing/git-repo";
import { createTicket } from "@/lib/tickets/create-ticket";

export type PlannedTask = TasksContent["tasks"][number];

/** One planned task with the given dependencies; `description` carries offline-agent test hooks. */
export function plannedTask(key: string, dependsOn: string[], description = ""): PlannedTask {
  return {
    key,
    title: `Task ${key}`,
    description,
    phase: "IMPLEMENTATION",
    estimateMinutes: 10,
    files: [],
    dependsOn,
    requirementIds: [],
  };
}

/** A spec whose task graph is approved (so its ready tasks are queued), on a fresh repository or an existing project. */
export async function approvedGraph(
  db: Db,
  actor: Actor,
  tasks: PlannedTask[],
  project:
    | { agentCommand?: string; testCommand?: string }
    | { existing: { id: string; repo: string } } = {},
): Promise<{ repo: string; specId: string; projectId: string }> {
  let p: { id: string };
  let repo: string;
  if ("existing" in project) {
    p = project.existing;
    repo = project.existing.repo;
  } else {
    repo = makeGitRepo();
    p = await createProject(db, {
      actor,
      input: { name: `Repo ${path.basename(repo)}`, localPath: repo, ...project },
    });
  }
  const ticket = await createTicket(db, {
    actor,
    input: { projectId: p.id, title: `Work ${path.basename(repo)}` },
  });
  const spec = await createSpec(db, { actor, input: { ticketId: ticket.id } });
  await db.spec.update({ where: { id: spec.id }, data: { state: "TASKS_REVIEW" } });
  await db.specArtifact.create({
    data: { orgId: actor.orgId, specId: spec.id, phase: "TASKS", version: 1, content: { tasks } },
  });
  await approvePhase(db, { actor, input: { specId: spec.id, phase: "TASKS" } });
  return { repo, specId: spec.id, projectId: p.id };
}

/** Every run so far, one line each, to make a timeout readable. */
async function runReport(db: Db): Promise<string> {
  const runs = await db.run.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      status: true,
      errorMessage: true,
      task: { select: { key: true, status: true, specId: true } },
    },
  });
  return runs
    .map(
      (r) =>
        `${r.task?.specId} ${r.task?.key} ${r.task?.status} run=${r.status} ${r.errorMessage ?? ""}`,
    )
    .join("\n");
}

/** Polls `read` until `done` holds; on timeout, fails with the last value and every run. */
export async function waitFor<T>(
  db: Db,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting; last value: ${JSON.stringify(value)}\n${await runReport(db)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const git = (repo: string, ...args: string[]) =>
  execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();
