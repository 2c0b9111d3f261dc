import { z } from "zod";
import type { SpecMarkdownFileName } from "./markdown/export-spec-markdown";

/** The most one imported Markdown file may hold, in bytes of UTF-8. */
export const maxSpecFileBytes = 200 * 1024;

export const specFileNames: readonly SpecMarkdownFileName[] = [
  "requirements.md",
  "design.md",
  "tasks.md",
];

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

const specFile = (name: SpecMarkdownFileName) =>
  z
    .string()
    // A UTF-8 encoding is never shorter than the string, so long strings are refused unencoded.
    .refine((text) => text.length <= maxSpecFileBytes && utf8Length(text) <= maxSpecFileBytes, {
      error: `${name} is larger than 200 KB`,
    })
    .optional();

export const importSpecSchema = z.object({
  specId: z.string().min(1),
  files: z
    .object({
      "requirements.md": specFile("requirements.md"),
      "design.md": specFile("design.md"),
      "tasks.md": specFile("tasks.md"),
    })
    .refine((files) => specFileNames.some((name) => files[name] !== undefined), {
      error: "Choose requirements.md, design.md or tasks.md (or a .zip holding them)",
    }),
});
export type ImportSpecInput = z.input<typeof importSpecSchema>;
