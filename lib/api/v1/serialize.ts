// Domain rows -> the API's shapes (./schemas.ts): snake_case, lower-case enums, ISO times. Each
// mapper names every field it sends, so a new database column never leaks out by itself.
import type { z } from "zod";
import { describeActivity } from "@/lib/activity/describe-activity";
import type { listActivity } from "@/lib/activity/list-activity";
import type { listCallbackDeliveries } from "@/lib/callbacks/list-callback-deliveries";
import type { getRun } from "@/lib/execution/get-run";
import type { getTaskDetail } from "@/lib/execution/get-task-detail";
import type { listRunLogs } from "@/lib/execution/list-run-logs";
import type { listRunTraceEvents } from "@/lib/execution/list-run-trace-events";
import type { getProject } from "@/lib/projects/get-project";
import type { listProjects } from "@/lib/projects/list-projects";
import type { exportSpec } from "@/lib/specs/export-spec";
import type { getSpec } from "@/lib/specs/get-spec";
import type { listTicketSpecs } from "@/lib/specs/list-ticket-specs";
import type { listTasks } from "@/lib/tasks/list-tasks";
import type { getTicket } from "@/lib/tickets/get-ticket";
import type { listTickets } from "@/lib/tickets/list-tickets";
import type * as s from "./schemas";

type Out<T extends z.ZodType> = z.input<T>;
type Row<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
type Item<F extends (...args: never[]) => unknown> =
  Row<F> extends { items: (infer I)[] } ? I : never;

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);
const low = <T extends string>(value: T) => value.toLowerCase() as Lowercase<T>;
const lowOrNull = <T extends string>(value: T | null) => (value ? low(value) : null);
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

export function projectOut(
  p: Row<typeof getProject> | Row<typeof listProjects>[number],
): Out<typeof s.projectSchema> {
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    description: p.description,
    repo_kind: low(p.repoKind),
    local_path: p.localPath,
    github_repo: p.githubRepoFullName,
    default_branch: p.defaultBranch,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  };
}

type TicketFields = Pick<
  Row<typeof getTicket>,
  "id" | "number" | "title" | "status" | "priority" | "type" | "labels" | "source" | "createdAt"
>;

function ticketFields(t: TicketFields, projectId: string): Out<typeof s.ticketSummarySchema> {
  return {
    id: t.id,
    project_id: projectId,
    number: t.number,
    title: t.title,
    status: low(t.status),
    priority: low(t.priority),
    type: low(t.type),
    labels: t.labels,
    source: low(t.source),
    created_at: iso(t.createdAt),
  };
}

export function ticketSummaryOut(t: Item<typeof listTickets>): Out<typeof s.ticketSummarySchema> {
  return ticketFields(t, t.project.id);
}

export function ticketOut(
  t: Omit<Row<typeof getTicket>, "project" | "createdBy">,
  specs: Pick<Row<typeof listTicketSpecs>[number], "id" | "state">[],
): Out<typeof s.ticketSchema> {
  return {
    ...ticketFields(t, t.projectId),
    description: t.description,
    idempotency_key: t.idempotencyKey,
    callback_url: t.callbackUrl,
    closed_at: isoOrNull(t.closedAt),
    updated_at: iso(t.updatedAt),
    specs: specs.map((spec) => ({ id: spec.id, state: low(spec.state) })),
  };
}

export function specOut(spec: Row<typeof getSpec>): Out<typeof s.specSchema> {
  // getSpec lists every version, newest first within a phase: keep the newest live one per phase.
  const live = spec.artifacts.filter((a) => a.status !== "SUPERSEDED");
  const latest = live.filter((a, i) => live.findIndex((b) => b.phase === a.phase) === i);
  return {
    id: spec.id,
    project_id: spec.projectId,
    ticket_id: spec.ticketId,
    title: spec.title,
    slug: spec.slug,
    state: low(spec.state),
    failed_phase: lowOrNull(spec.failedPhase),
    failure_reason: spec.failureReason,
    integration_branch: spec.integrationBranch,
    pull_request_url: spec.pullRequestUrl,
    task_count: spec._count.tasks,
    artifacts: latest.map((a) => ({
      phase: low(a.phase),
      version: a.version,
      status: low(a.status),
      source: low(a.source),
      content: record(a.content),
      feedback: a.feedback,
      created_at: iso(a.createdAt),
    })),
    approvals: spec.approvals.map((a) => ({
      phase: low(a.phase),
      version: a.version,
      decision: low(a.decision),
      feedback: a.feedback,
      created_at: iso(a.createdAt),
    })),
    created_at: iso(spec.createdAt),
    updated_at: iso(spec.updatedAt),
  };
}

export function specExportOut(result: Row<typeof exportSpec>): Out<typeof s.specExportSchema> {
  return { folder: result.folder, files: { ...result.files } };
}

export function taskSummaryOut(t: Item<typeof listTasks>): Out<typeof s.taskSummarySchema> {
  return {
    id: t.id,
    project_id: t.projectId,
    spec_id: t.specId,
    key: t.key,
    title: t.title,
    phase: low(t.phase),
    status: low(t.status),
    labels: t.labels,
    attempts: t.attempts,
    max_attempts: t.maxAttempts,
    depends_on: t.dependsOnIds,
    attention_reason: t.attentionReason,
    started_at: isoOrNull(t.startedAt),
    finished_at: isoOrNull(t.finishedAt),
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
  };
}

export function taskOut(detail: Row<typeof getTaskDetail>): Out<typeof s.taskSchema> {
  const t = detail.task;
  return {
    ...taskSummaryOut({ ...t, dependsOnIds: t.dependsOn.map((d) => d.dependsOn.id) }),
    description: t.description,
    estimate_minutes: t.estimateMinutes,
    files: t.files,
    requirement_ids: t.requirementIds,
    branch: t.branch,
    agent_kind: lowOrNull(t.agentKind),
    timeout_seconds: t.timeoutSeconds,
    cost_usd: t.costUsd.toFixed(6),
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    runs: t.runs.map((r) => ({
      id: r.id,
      attempt: r.attempt,
      status: low(r.status),
      started_at: isoOrNull(r.startedAt),
      finished_at: isoOrNull(r.finishedAt),
    })),
  };
}

export function runOut(r: Row<typeof getRun>): Out<typeof s.runSchema> {
  return {
    id: r.id,
    task_id: r.taskId,
    spec_id: r.specId,
    kind: r.kind,
    attempt: r.attempt,
    status: low(r.status),
    agent_kind: lowOrNull(r.agentKind),
    model: r.model,
    branch: r.branch,
    commit_sha: r.commitSha,
    summary: r.summary,
    diff: r.diff,
    error_kind: lowOrNull(r.errorKind),
    error_message: r.errorMessage,
    cost_usd: r.costUsd.toFixed(6),
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    started_at: isoOrNull(r.startedAt),
    finished_at: isoOrNull(r.finishedAt),
    created_at: iso(r.createdAt),
    verifications: r.verifications.map((v) => ({
      id: v.id,
      kind: v.kind,
      command: v.command,
      exit_code: v.exitCode,
      passed: v.passed,
      output: v.output,
      duration_ms: v.durationMs,
    })),
  };
}

export function runLogLineOut(line: Item<typeof listRunLogs>): Out<typeof s.runLogLineSchema> {
  return {
    seq: line.seq,
    stream: low(line.stream),
    text: line.text,
    created_at: iso(line.createdAt),
  };
}

export function runTraceEventOut(
  event: Item<typeof listRunTraceEvents>,
): Out<typeof s.runTraceEventSchema> {
  return {
    seq: event.seq,
    kind: event.kind,
    name: event.name,
    started_at: iso(event.startedAt),
    finished_at: iso(new Date(event.startedAt.getTime() + event.durationMs)),
    duration_ms: event.durationMs,
    data: record(event.data),
  };
}

export function activityOut(e: Item<typeof listActivity>): Out<typeof s.activityEventSchema> {
  return {
    id: e.id,
    type: e.type,
    actor_kind: low(e.actorKind),
    actor: e.actor ? { name: e.actor.name, email: e.actor.email } : null,
    summary: describeActivity(e),
    project_id: e.project?.id ?? null,
    ticket_id: e.ticket?.id ?? null,
    data: record(e.data),
    created_at: iso(e.createdAt),
  };
}

export function callbackDeliveryOut(
  d: Row<typeof listCallbackDeliveries>[number],
): Out<typeof s.callbackDeliverySchema> {
  return {
    id: d.id,
    ticket_id: d.ticket.id,
    url: d.url,
    status: low(d.status),
    attempts: d.attempts,
    last_error: d.lastError,
    next_attempt_at: d.status === "PENDING" ? iso(d.nextAttemptAt) : null,
    delivered_at: isoOrNull(d.deliveredAt),
    created_at: iso(d.createdAt),
  };
}
