import { Download, ListTree } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { RunTraceEventView } from "@/lib/execution/get-run-trace";

const kindLabels: Record<string, string> = {
  model_call: "model",
  tool_call: "tool",
  command: "command",
  verification: "verify",
  note: "note",
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const text = (value: unknown) =>
  typeof value === "string" ? value : JSON.stringify(value ?? null, null, 2);
const num = (value: unknown) => (typeof value === "number" ? value : 0);

/**
 * A run's trace, step by step: model calls with tokens, cost and time; tool calls, commands and
 * verification with their input and output folded away; notes. Plus the download of the whole
 * trace as a zip folder.
 */
export function TraceView({
  events,
  downloadHref,
  runStartedAt,
  runLabel,
}: {
  events: RunTraceEventView[];
  downloadHref: string | null;
  runStartedAt: Date | null;
  /** Which run this is, e.g. "Run 2 of 3 · attempt 2". */
  runLabel?: string;
}) {
  const download = downloadHref ? (
    <a href={downloadHref} download className={buttonVariants({ variant: "outline", size: "sm" })}>
      <Download aria-hidden="true" /> Download trace
    </a>
  ) : null;
  if (events.length === 0) {
    return (
      <EmptyState
        icon={<ListTree />}
        headingLevel={2}
        title="No trace for this run"
        description={
          downloadHref
            ? "This run recorded no model calls, tool calls or commands (runs before traces were kept have none). The download still holds its log, diff and verification."
            : "The task has not run yet. Once an agent works on it, each model call, tool call and command shows here."
        }
        action={download}
      />
    );
  }
  const start = runStartedAt?.getTime() ?? events[0]!.startedAt.getTime();
  const models = events.filter((e) => e.kind === "model_call");
  const cost = models.reduce((sum, e) => sum + num(e.data.costUsd), 0);
  return (
    <section aria-labelledby="trace-heading" className="grid gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="trace-heading" className="font-medium text-sm">
          Trace
        </h2>
        <p className="text-muted-foreground text-xs">
          {runLabel ? `${runLabel} · ` : ""}
          {events.length} steps · {models.length} model calls · ${cost.toFixed(4)}
        </p>
        <div className="ml-auto">{download}</div>
      </div>
      <ol aria-label="Trace events" className="divide-y rounded-lg border bg-card text-dense">
        {events.map((event) => (
          <li key={event.seq} data-trace-kind={event.kind} className="grid gap-1 px-3 py-2">
            <div className="flex flex-wrap items-center gap-2">
              <span
                className="w-16 shrink-0 font-mono text-muted-foreground text-xs"
                title={event.startedAt.toISOString()}
              >
                +{seconds(Math.max(0, event.startedAt.getTime() - start))}
              </span>
              <Badge variant={event.kind === "model_call" ? "secondary" : "outline"}>
                {kindLabels[event.kind] ?? event.kind}
              </Badge>
              <span className="font-medium font-mono text-xs">{event.name}</span>
              <Outcome event={event} />
              <span className="ml-auto font-mono text-muted-foreground text-xs">
                {event.kind === "model_call"
                  ? `${num(event.data.inputTokens).toLocaleString("en-US")} in / ${num(event.data.outputTokens).toLocaleString("en-US")} out · $${num(event.data.costUsd).toFixed(4)} · `
                  : ""}
                {seconds(event.durationMs)}
              </span>
            </div>
            <Details event={event} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function Outcome({ event }: { event: RunTraceEventView }) {
  const { data } = event;
  if (data.error) return <Badge variant="failed">{text(data.error).split("\n", 1)[0]}</Badge>;
  if (data.verdict === "nudge" || data.verdict === "stop")
    return <Badge variant="attention">{String(data.verdict)}</Badge>;
  if (event.kind === "verification")
    return (
      <Badge variant={data.passed ? "done" : "failed"}>{data.passed ? "passed" : "failed"}</Badge>
    );
  if (data.isError === true) return <Badge variant="failed">error</Badge>;
  if (event.kind === "command" && data.exitCode !== undefined)
    return <span className="text-muted-foreground text-xs">exit {String(data.exitCode)}</span>;
  if (event.kind === "model_call" && Array.isArray(data.toolUses) && data.toolUses.length)
    return <span className="text-muted-foreground text-xs">→ {data.toolUses.join(", ")}</span>;
  if (event.kind === "note" && typeof data.text === "string")
    return <span className="text-muted-foreground text-xs">{data.text}</span>;
  return null;
}

/** The event's payloads, each folded in a <details> (keyboard: Tab to it, Enter to open). */
function Details({ event }: { event: RunTraceEventView }) {
  const { data } = event;
  const parts: Array<[string, unknown]> = [];
  if (event.kind === "model_call") {
    if (data.system) parts.push(["System prompt", data.system]);
    if (data.messages) parts.push(["Prompt (new messages)", data.messages]);
    if (data.reply) parts.push(["Reply", data.reply]);
  } else if (event.kind === "tool_call") {
    if (data.input !== undefined) parts.push(["Input", data.input]);
    if (data.output !== undefined) parts.push(["Output", data.output]);
  } else if (event.kind === "command" || event.kind === "verification") {
    if (data.command) parts.push(["Command", data.command]);
    if (data.prompt) parts.push(["Prompt", data.prompt]);
    if (data.output !== undefined) parts.push(["Output", data.output || "(no output)"]);
  } else if (data.feedback) {
    parts.push(["Feedback", data.feedback]);
  }
  if (parts.length === 0) return null;
  return (
    <div className="grid gap-1 pl-[4.5rem]">
      {parts.map(([label, value]) => (
        <details key={label} className="group">
          <summary className="w-fit cursor-pointer rounded-sm text-muted-foreground text-xs outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring">
            {label}
          </summary>
          <pre className="mt-1 max-h-80 overflow-auto whitespace-pre-wrap rounded-md bg-muted p-2 font-mono text-xs">
            {text(value)}
          </pre>
        </details>
      ))}
    </div>
  );
}
