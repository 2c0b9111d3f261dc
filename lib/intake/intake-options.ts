// What the intake request's `options` change once its ticket runs: read back from Ticket.intake,
// which stores the request as given (lib/intake/enqueue-task.ts). Pure.
import { z } from "zod";

const storedOptions = z
  .object({
    options: z
      .object({
        timeout: z.number().int().positive().optional(),
        retries: z.number().int().min(0).optional(),
        approval_mode: z.enum(["auto", "manual"]).optional(),
      })
      .partial()
      .catch({}),
  })
  .partial();

function optionsOf(intake: unknown) {
  const parsed = storedOptions.safeParse(intake ?? {});
  return parsed.success ? (parsed.data.options ?? {}) : {};
}

/** True or false when the request chose an approval mode for every phase; null: the project decides. */
export function intakeAutoApprove(intake: unknown): boolean | null {
  const mode = optionsOf(intake).approval_mode;
  return mode === undefined ? null : mode === "auto";
}

/** Task fields the request sets: its timeout per task and its retries (attempts = retries + 1). */
export function intakeTaskSettings(intake: unknown): {
  timeoutSeconds?: number;
  maxAttempts?: number;
} {
  const { timeout, retries } = optionsOf(intake);
  return {
    ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
    ...(retries !== undefined ? { maxAttempts: retries + 1 } : {}),
  };
}
