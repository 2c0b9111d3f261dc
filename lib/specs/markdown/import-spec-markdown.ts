import type { z } from "zod";
import {
  type DesignContent,
  designContentSchema,
  type RequirementsContent,
  requirementsContentSchema,
  type TasksContent,
  tasksContentSchema,
} from "../artifact-schemas";
import type { SpecMarkdownFileName, SpecMarkdownFiles } from "./export-spec-markdown";
import type { LineError } from "./markdown-blocks";
import { parseDesignMarkdown } from "./parse-design-markdown";
import { type ParseResult, parseRequirementsMarkdown } from "./parse-requirements-markdown";
import { parseTasksMarkdown } from "./parse-tasks-markdown";
import { type RequirementScope, scopeOf } from "./reference-lines";

export interface SpecImportError {
  file: SpecMarkdownFileName;
  /** 1-based line the problem is on (1 when it concerns the whole file). */
  line: number;
  message: string;
}

export type ImportSpecMarkdownResult =
  | { ok: true; requirements?: RequirementsContent; design?: DesignContent; tasks?: TasksContent }
  | { ok: false; errors: SpecImportError[] };

export interface ImportSpecMarkdownOptions {
  /** The spec's current artifacts; references in design.md and tasks.md resolve against these when requirements.md is not imported. */
  existing?: { requirements?: RequirementsContent };
}

/**
 * Parses requirements.md, design.md and tasks.md (any subset) in the Kiro
 * layout written by exportSpecMarkdown, and tolerant of Kiro's own files.
 * Refuses, with file, line and reason, anything it cannot map exactly:
 * malformed structure, references to requirements that do not exist (or to
 * requirements.md when it is absent), and dependency cycles.
 */
export function importSpecMarkdown(
  files: SpecMarkdownFiles,
  options: ImportSpecMarkdownOptions = {},
): ImportSpecMarkdownResult {
  const errors: SpecImportError[] = [];
  const result: {
    requirements?: RequirementsContent;
    design?: DesignContent;
    tasks?: TasksContent;
  } = {};

  let scope: RequirementScope = scopeOf(options.existing?.requirements);
  if (files["requirements.md"] !== undefined) {
    const requirements = validated(
      "requirements.md",
      parseRequirementsMarkdown(files["requirements.md"]),
      requirementsContentSchema,
      errors,
    );
    if (requirements) result.requirements = requirements;
    scope = requirements ? scopeOf(requirements) : { kind: "unchecked" };
  }
  if (files["design.md"] !== undefined) {
    const design = validated(
      "design.md",
      parseDesignMarkdown(files["design.md"], scope),
      designContentSchema,
      errors,
    );
    if (design) result.design = design;
  }
  if (files["tasks.md"] !== undefined) {
    const tasks = validated(
      "tasks.md",
      parseTasksMarkdown(files["tasks.md"], scope),
      tasksContentSchema,
      errors,
    );
    if (tasks) result.tasks = tasks;
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, ...result };
}

/** The parser's content, checked once more against the schema the rest of Trellis relies on. */
function validated<T>(
  file: SpecMarkdownFileName,
  parsed: ParseResult<T>,
  schema: z.ZodType<T>,
  errors: SpecImportError[],
): T | null {
  if (!parsed.ok) {
    errors.push(
      ...[...parsed.errors]
        .sort((a, b) => a.line - b.line)
        .map((error: LineError) => ({ file, ...error })),
    );
    return null;
  }
  const checked = schema.safeParse(parsed.content);
  if (!checked.success) {
    errors.push(
      ...checked.error.issues.map((issue) => ({
        file,
        line: 1,
        message: `${issue.path.join(".") || "file"}: ${issue.message}`,
      })),
    );
    return null;
  }
  return checked.data;
}
