import "server-only";
import { z } from "zod";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import type { SpecPhase, TaskStatus } from "@/lib/generated/prisma/enums";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import {
  designContentSchema,
  requirementsContentSchema,
  type TasksContent,
  tasksContentSchema,
} from "./artifact-schemas";
import { exportSpecMarkdown, type SpecMarkdownFiles } from "./markdown/export-spec-markdown";

export const exportSpecSchema = z.object({ specId: z.string().min(1) });

/** `?file=` on the export route: one file instead of the zip. */
export const exportSpecFileSchema = z.object({
  file: z
    .enum(["requirements.md", "design.md", "tasks.md"], {
      error: "file must be requirements.md, design.md or tasks.md",
    })
    .optional(),
});

/**
 * "[x]" marks done: once the graph has become tasks, their statuses say which are done (an
 * imported flag no longer counts); before that, the artifact's own flags stand.
 */
function withDoneFlags(
  content: TasksContent,
  rows: { key: string; status: TaskStatus }[],
): TasksContent {
  if (rows.length === 0) return content;
  const done = new Set(rows.filter((r) => r.status === "DONE").map((r) => r.key));
  return {
    ...content,
    tasks: content.tasks.map(({ done: _imported, ...task }) =>
      done.has(task.key) ? { ...task, done: true } : task,
    ),
  };
}

/**
 * The spec as Markdown in the Kiro layout: its folder name and a file per phase
 * that has an artifact, from the phase's latest version that is not superseded.
 */
export async function exportSpec(
  db: Db,
  options: { actor: Actor; specId: string },
): Promise<{ folder: string; files: SpecMarkdownFiles }> {
  const { actor } = options;
  assertCan(actor, "read");
  const { specId } = exportSpecSchema.parse({ specId: options.specId });
  const spec = await db.spec.findFirst({
    where: { id: specId, orgId: actor.orgId },
    select: {
      title: true,
      slug: true,
      artifacts: {
        where: { status: { not: "SUPERSEDED" } },
        orderBy: { version: "desc" },
        select: { phase: true, content: true },
      },
      tasks: { select: { key: true, status: true } },
    },
  });
  if (!spec) throw notFound("Spec");
  const latest = (phase: SpecPhase) => spec.artifacts.find((a) => a.phase === phase)?.content;
  const requirements = latest("REQUIREMENTS");
  const design = latest("DESIGN");
  const tasks = latest("TASKS");
  const files = exportSpecMarkdown({
    title: spec.title,
    requirements: requirements ? requirementsContentSchema.parse(requirements) : undefined,
    design: design ? designContentSchema.parse(design) : undefined,
    tasks: tasks ? withDoneFlags(tasksContentSchema.parse(tasks), spec.tasks) : undefined,
  });
  return { folder: spec.slug, files };
}
