import "server-only";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { heldTaskWhere } from "./spec-attention";

/** A spec with every artifact version (newest first), its approval history and the tasks holding its execution. */
export async function getSpec(db: Db, options: { actor: Actor; specId: string }) {
  assertCan(options.actor, "read");
  const spec = await db.spec.findFirst({
    where: { id: options.specId, orgId: options.actor.orgId },
    include: {
      project: {
        select: {
          id: true,
          name: true,
          repoKind: true,
          localPath: true,
          githubRepoFullName: true,
          defaultBranch: true,
          approvalRequirements: true,
          approvalDesign: true,
          approvalTasks: true,
          testCommand: true,
          lintCommand: true,
        },
      },
      ticket: { select: { id: true, number: true, title: true } },
      artifacts: {
        orderBy: [{ phase: "asc" }, { version: "desc" }],
        select: {
          id: true,
          phase: true,
          version: true,
          status: true,
          source: true,
          content: true,
          feedback: true,
          createdAt: true,
          author: { select: { name: true, email: true } },
        },
      },
      approvals: {
        orderBy: { createdAt: "desc" },
        select: {
          id: true,
          phase: true,
          version: true,
          decision: true,
          feedback: true,
          createdAt: true,
          actor: { select: { name: true, email: true } },
        },
      },
      _count: { select: { tasks: true } },
      // The tasks holding its execution (failed or escalated), for "needs attention".
      tasks: {
        where: heldTaskWhere,
        orderBy: [{ rank: "asc" }, { createdAt: "asc" }],
        take: 20,
        select: { id: true, key: true, title: true, status: true, attentionReason: true },
      },
    },
  });
  if (!spec) throw notFound("Spec");
  return spec;
}
