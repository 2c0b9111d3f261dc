import "server-only";
import { AppError, type FieldErrors, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SpecPhase } from "@/lib/generated/prisma/enums";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { type RequirementsContent, requirementsContentSchema } from "./artifact-schemas";
import { type ImportSpecInput, importSpecSchema } from "./import-spec-schema";
import type { SpecMarkdownFiles } from "./markdown/export-spec-markdown";
import { importSpecMarkdown, type SpecImportError } from "./markdown/import-spec-markdown";
import { phaseFile } from "./phase-file";
import { saveArtifact } from "./save-artifact";
import { importStartPhase, phaseOrder } from "./state-machine";
import { transitionSpec } from "./transition-spec";

/** A problem with an imported file; `line` is absent when it concerns which files were chosen. */
type ImportProblem = Omit<SpecImportError, "line"> & { line?: number };

/**
 * Imports Kiro-layout Markdown into a spec. The rule: an import starts at the
 * requirements of a draft spec, or at the phase in review, and covers that
 * phase and any after it, in order. Each file becomes a new version (source
 * IMPORT); the last phase imported waits in review and the ones before it are
 * approved in the importer's name. Anything unreadable refuses the whole
 * import, naming file, line and reason, and writes nothing.
 */
export async function importSpec(db: Db, options: { actor: Actor; input: ImportSpecInput }) {
  const { actor } = options;
  assertCan(actor, "write");
  const input = importSpecSchema.parse(options.input);
  const spec = await db.spec.findFirst({
    where: { id: input.specId, orgId: actor.orgId },
    select: { id: true, state: true },
  });
  if (!spec) throw notFound("Spec");
  const start = importStartPhase(spec.state);
  if (!start) {
    throw new AppError(
      "CONFLICT",
      `Markdown can be imported into a draft spec or the phase in review; the spec is ${spec.state.toLowerCase().replace(/_/g, " ")}.`,
      { currentState: spec.state },
    );
  }
  const files: SpecMarkdownFiles = input.files;
  const phases = phaseOrder.filter((phase) => files[phaseFile[phase]] !== undefined);
  const approvedRequirements =
    start === "REQUIREMENTS" ? undefined : await findApprovedRequirements(db, spec.id);
  const imported = importSpecMarkdown(files, {
    existing: approvedRequirements ? { requirements: approvedRequirements } : undefined,
  });
  const problems: ImportProblem[] = [
    ...orderProblems(start, phases),
    ...(imported.ok ? [] : imported.errors),
  ];
  if (!imported.ok || problems.length > 0) throw refusal(problems);

  const content: Record<SpecPhase, unknown> = {
    REQUIREMENTS: imported.requirements,
    DESIGN: imported.design,
    TASKS: imported.tasks,
  };
  const through = phases[phases.length - 1] ?? start;
  return db.$transaction(async (tx) => {
    // First, so the spec row stays locked until commit; a spec that moved since
    // the files were checked (approved, sent back, imported) refuses the import.
    const moved = await transitionSpec(tx, {
      orgId: actor.orgId,
      specId: spec.id,
      event: { type: "import", phase: start, through },
      actorId: actor.userId,
      activityData: { files: phases.map((phase) => phaseFile[phase]) },
    });
    if (moved.from !== spec.state) {
      throw new AppError(
        "CONFLICT",
        "The spec changed while you were importing. Reload and try again.",
        { currentState: moved.from },
      );
    }
    const versions: Partial<Record<SpecPhase, number>> = {};
    for (const phase of phases) {
      const saved = await saveArtifact(tx, {
        orgId: actor.orgId,
        specId: spec.id,
        phase,
        content: content[phase] as Prisma.InputJsonValue,
        source: "IMPORT",
        authorId: actor.userId,
      });
      versions[phase] = saved.version;
      if (phase !== through) {
        await tx.specArtifact.update({ where: { id: saved.id }, data: { status: "APPROVED" } });
        await tx.approval.create({
          data: {
            orgId: actor.orgId,
            specId: spec.id,
            phase,
            version: saved.version,
            decision: "APPROVED",
            actorId: actor.userId,
          },
        });
      }
    }
    return { state: moved.to, versions };
  });
}

async function findApprovedRequirements(
  db: Db,
  specId: string,
): Promise<RequirementsContent | undefined> {
  const approved = await db.specArtifact.findFirst({
    where: { specId, phase: "REQUIREMENTS", status: "APPROVED" },
    orderBy: { version: "desc" },
    select: { content: true },
  });
  return approved ? requirementsContentSchema.parse(approved.content) : undefined;
}

/** Files for approved phases, and gaps: an import covers consecutive phases from `start`. */
function orderProblems(start: SpecPhase, phases: readonly SpecPhase[]): ImportProblem[] {
  const startIndex = phaseOrder.indexOf(start);
  const startFile = phaseFile[start];
  const why =
    start === "REQUIREMENTS"
      ? `an import starts with ${startFile}`
      : `the ${start.toLowerCase()} phase is in review, so an import starts with ${startFile}`;
  const problems: ImportProblem[] = [];
  for (const phase of phases) {
    const index = phaseOrder.indexOf(phase);
    const file = phaseFile[phase];
    if (index < startIndex) {
      problems.push({ file, message: `${file} cannot be imported: ${why}` });
      continue;
    }
    const previous = phaseOrder[index - 1];
    if (index > startIndex && previous && !phases.includes(previous)) {
      problems.push({
        file,
        message: `${file} needs ${phaseFile[previous]} in the same import: ${why}, and phases follow in order`,
      });
    }
  }
  return problems;
}

/** INVALID naming every problem: `details.fields` maps "tasks.md:4" (or "tasks.md") to the reasons. */
function refusal(problems: readonly ImportProblem[]): AppError {
  const fields: FieldErrors = {};
  for (const problem of problems) {
    const key = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
    fields[key] = fields[key] ? `${fields[key]}\n${problem.message}` : problem.message;
  }
  const lines = problems.map((p) =>
    p.line === undefined ? `${p.file}: ${p.message}` : `${p.file} line ${p.line}: ${p.message}`,
  );
  return new AppError("INVALID", lines.join("\n"), { fields });
}
