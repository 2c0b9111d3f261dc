import type { SpecPhase } from "@/lib/generated/prisma/enums";
import type { SpecMarkdownFileName } from "./markdown/export-spec-markdown";

/** The Markdown file (Kiro layout) that holds each phase's artifact. */
export const phaseFile: Record<SpecPhase, SpecMarkdownFileName> = {
  REQUIREMENTS: "requirements.md",
  DESIGN: "design.md",
  TASKS: "tasks.md",
};
