import "server-only";
import { strToU8, type Zippable, zipSync } from "fflate";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/orgs/roles";
import { getRunTrace, type RunTrace } from "./get-run-trace";

/**
 * A run's trace as a zip holding one folder, `trace-<run id>/`: trace.jsonl (one event a line,
 * in order), run.json (metadata, usage, costs, interventions), diff.patch, log.txt and
 * verification/<n>-<kind>.txt. Another organization's run is NOT_FOUND.
 */
export async function exportRunTrace(db: Db, options: { actor: Actor; runId: string }) {
  const trace = await getRunTrace(db, { actor: options.actor, runId: options.runId });
  const folder = `trace-${trace.run.id}`;
  const files = runTraceFiles(trace);
  const entries: Zippable = {};
  for (const [name, text] of Object.entries(files)) entries[`${folder}/${name}`] = strToU8(text);
  return { filename: `${folder}.zip`, zip: zipSync(entries, { level: 6 }) };
}

/** The folder's files by relative path. */
export function runTraceFiles(trace: RunTrace): Record<string, string> {
  const { run, events, verifications, logs } = trace;
  const { diff: _diff, ...meta } = run;
  const files: Record<string, string> = {
    "trace.jsonl": events
      .map((event) =>
        JSON.stringify({
          seq: event.seq,
          kind: event.kind,
          name: event.name,
          startedAt: event.startedAt.toISOString(),
          finishedAt: new Date(event.startedAt.getTime() + event.durationMs).toISOString(),
          durationMs: event.durationMs,
          data: event.data,
        }),
      )
      .map((line) => `${line}\n`)
      .join(""),
    "run.json": `${JSON.stringify(
      {
        ...meta,
        eventCount: events.length,
        usage: trace.usage,
        interventions: trace.interventions,
        verifications: verifications.map(({ output: _output, ...step }) => step),
      },
      null,
      2,
    )}\n`,
    "diff.patch": trace.diff,
    "log.txt": logs
      .map((line) => `${line.createdAt.toISOString()} ${line.stream} ${line.text}\n`)
      .join(""),
  };
  verifications.forEach((step, index) => {
    const kind = step.kind.replace(/[^a-z0-9_-]+/gi, "_");
    files[`verification/${index + 1}-${kind}.txt`] = [
      `$ ${step.command}`,
      `exit code: ${step.exitCode ?? "none"} (${step.passed ? "passed" : "failed"}) in ${step.durationMs} ms`,
      "",
      step.output,
    ].join("\n");
  });
  return files;
}
