// The background functions, one per file in this folder, registered here for both
// engines (DBOS in the worker by default, Inngest when configured).
import type { AnyJobFunction } from "@/lib/jobs/port";
import { githubSpecStatusFunction } from "./github-spec-status";
import { githubWebhookFunction } from "./github-webhook";
import { runSpecPhaseFunction } from "./run-spec-phase";
import { startIntakeSpecFunction } from "./start-intake-spec";

export const functions: readonly AnyJobFunction[] = [
  runSpecPhaseFunction,
  githubWebhookFunction,
  githubSpecStatusFunction,
  startIntakeSpecFunction,
];
