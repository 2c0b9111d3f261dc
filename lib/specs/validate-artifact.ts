import { AppError } from "@/lib/api/app-error";
import type { SpecPhase } from "@/lib/generated/prisma/enums";
import {
  type DesignContent,
  designContentSchema,
  type RequirementsContent,
  requirementsContentSchema,
  type TasksContent,
  tasksContentSchema,
  validateTasksContent,
} from "./artifact-schemas";

export type ArtifactContent = RequirementsContent | DesignContent | TasksContent;

export const artifactSchemas = {
  REQUIREMENTS: requirementsContentSchema,
  DESIGN: designContentSchema,
  TASKS: tasksContentSchema,
} as const;

/**
 * Parses a phase's content and checks it against the approved requirements
 * (task graphs: no cycle, no dangling dependency, only known requirement ids).
 * Throws INVALID with the field paths, so an edit is refused precisely.
 */
export function validateArtifact(
  phase: SpecPhase,
  content: unknown,
  context: { requirementIds: string[] },
): ArtifactContent {
  const parsed = artifactSchemas[phase].safeParse(content);
  if (!parsed.success) {
    const fields = Object.fromEntries(
      parsed.error.issues.map((i) => [i.path.join(".") || "_form", i.message]),
    );
    throw new AppError(
      "INVALID",
      `The ${phase.toLowerCase()} do not have the expected structure.`,
      { fields },
    );
  }
  if (phase === "TASKS") {
    const problems = validateTasksContent(parsed.data as TasksContent, {
      requirementIds: context.requirementIds,
    });
    if (problems.length) {
      const fields = Object.fromEntries(problems.map((p) => [p.path || "_form", p.message]));
      throw new AppError("INVALID", problems.map((p) => p.message).join("; "), { fields });
    }
  }
  return parsed.data;
}
