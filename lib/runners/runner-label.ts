import { z } from "zod";

/** A runner label ("linux", "gpu"): projects pinned to labels run only on runners that have them all. */
export const runnerLabelSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    "Labels are lower-case letters, digits, dots, dashes or underscores.",
  );

export const runnerLabelsSchema = z
  .array(runnerLabelSchema)
  .max(20, "At most 20 labels.")
  .transform((labels) => [...new Set(labels)]);

/** "linux, gpu" -> ["linux", "gpu"] (for the forms). */
export function parseLabelList(text: string): string[] {
  return text
    .split(",")
    .map((l) => l.trim())
    .filter(Boolean);
}
