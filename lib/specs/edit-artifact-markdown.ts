import "server-only";
import { z } from "zod";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { specPhaseSchema } from "./approve-phase";
import { requirementsContentSchema } from "./artifact-schemas";
import { editArtifact } from "./edit-artifact";
import { importSpecMarkdown } from "./markdown/import-spec-markdown";
import { phaseFile } from "./phase-file";

export const editArtifactMarkdownSchema = z.object({
  specId: z.string().min(1),
  phase: specPhaseSchema,
  markdown: z
    .string()
    .min(1, "The document is empty")
    .max(200_000, "The document is too long (200,000 characters at most)"),
});
export type EditArtifactMarkdownInput = z.input<typeof editArtifactMarkdownSchema>;

/**
 * A person edits the phase in review as Markdown (the Kiro layout): it is parsed
 * back into the structured artifact, refused with line and reason if it cannot be.
 */
export async function editArtifactMarkdown(
  db: Db,
  options: { actor: Actor; input: EditArtifactMarkdownInput },
) {
  const { actor } = options;
  assertCan(actor, "write");
  const input = editArtifactMarkdownSchema.parse(options.input);
  const approvedRequirements = await db.specArtifact.findFirst({
    where: { specId: input.specId, orgId: actor.orgId, phase: "REQUIREMENTS", status: "APPROVED" },
    orderBy: { version: "desc" },
    select: { content: true },
  });
  const spec = await db.spec.findFirst({
    where: { id: input.specId, orgId: actor.orgId },
    select: { id: true },
  });
  if (!spec) throw notFound("Spec");
  const file = phaseFile[input.phase];
  const imported = importSpecMarkdown(
    { [file]: input.markdown },
    {
      existing: approvedRequirements
        ? { requirements: requirementsContentSchema.parse(approvedRequirements.content) }
        : undefined,
    },
  );
  if (!imported.ok) {
    const lines = imported.errors.map((e) => `${e.file} line ${e.line}: ${e.message}`);
    throw new AppError("INVALID", lines[0] ?? "The document could not be read.", {
      fields: { markdown: lines.join("\n") },
    });
  }
  const content = {
    REQUIREMENTS: imported.requirements,
    DESIGN: imported.design,
    TASKS: imported.tasks,
  }[input.phase];
  return editArtifact(db, { actor, input: { specId: input.specId, phase: input.phase, content } });
}
