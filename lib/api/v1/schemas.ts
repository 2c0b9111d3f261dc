// Every request and response body of the REST API (/api/v1), in one place. The OpenAPI document
// (./openapi.ts) is generated from these same schemas, and the route handlers parse requests and
// shape responses with them, so the document cannot drift from what the API does. The API speaks
// snake_case and lower-case enum values; ./serialize.ts maps domain rows onto these shapes.
import { z } from "zod";
import { errorStatus } from "@/lib/api/app-error";
import {
  AgentKind,
  ApiKeyScope,
  ApprovalDecision,
  ArtifactSource,
  ArtifactStatus,
  CallbackStatus,
  ErrorKind,
  LogStream,
  Priority,
  RepoKind,
  RunStatus,
  SpecPhase,
  SpecState,
  TaskPhase,
  TaskStatus,
  TicketSource,
  TicketStatus,
  TicketType,
} from "@/lib/generated/prisma/enums";
import { enqueueTaskSchema } from "@/lib/intake/intake-schema";

/** Request bodies: rendered with their input types (defaults optional). */
export const requestSchemas = z.registry<{ id: string }>();
/** Response bodies: rendered with their output types. */
export const responseSchemas = z.registry<{ id: string }>();

/** A Prisma enum as the API's lower-case values. */
function lower<const T extends Record<string, string>>(values: T) {
  const list = Object.values(values).map((v) => v.toLowerCase()) as [
    Lowercase<T[keyof T]>,
    ...Lowercase<T[keyof T]>[],
  ];
  return z.enum(list);
}

const id = (prefix: string, what: string) =>
  z
    .string()
    .describe(`The ${what}'s id (${prefix}_…).`)
    .meta({ examples: [`${prefix}_01jq8x0c4e3v7r9k2m5n8p1t6w`] });
const timestamp = z.iso.datetime().describe("ISO 8601 time, UTC.");
const nullableTimestamp = timestamp.nullable();
const money = z
  .string()
  .describe("US dollars as a decimal string (exact).")
  .meta({ examples: ["0.412300"] });

export const cursorParam = z
  .string()
  .min(1)
  .max(100)
  .optional()
  .describe("The next_cursor of the previous page.");
export const limitParam = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback).describe(`Page size, 1–${max}.`);

/** `{ data: [...], next_cursor }`: next_cursor is null on the last page. */
function page<T extends z.ZodType>(item: T, what: string) {
  return z.object({
    data: z.array(item),
    next_cursor: z
      .string()
      .nullable()
      .describe(`Pass as ?cursor= for the next page of ${what}; null on the last page.`),
  });
}

// ─── Errors ────────────────────────────────────────────────────────────────────

export const errorCodeSchema = z.enum(
  Object.keys(errorStatus) as [keyof typeof errorStatus, ...(keyof typeof errorStatus)[]],
);
export const errorSchema = z
  .object({
    error: z.object({
      code: errorCodeSchema,
      message: z.string().describe("What went wrong and what to do, for people."),
      details: z
        .record(z.string(), z.unknown())
        .optional()
        .describe(
          "fields: request field -> problem; retryAfterSeconds on 429; rule on an intake refusal.",
        ),
    }),
  })
  .register(responseSchemas, { id: "Error" });

// ─── Projects ──────────────────────────────────────────────────────────────────

export const projectSchema = z
  .object({
    id: id("prj", "project"),
    name: z.string(),
    slug: z
      .string()
      .describe("Unique in the organization; usable as target.repository in task intake."),
    description: z.string().nullable(),
    repo_kind: lower(RepoKind),
    local_path: z.string().nullable().describe("The local repository, for local projects."),
    github_repo: z.string().nullable().describe("owner/name, for GitHub projects."),
    default_branch: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .register(responseSchemas, { id: "Project" });
export const projectPageSchema = page(projectSchema, "projects").register(responseSchemas, {
  id: "ProjectPage",
});

// ─── Tickets ───────────────────────────────────────────────────────────────────

export const ticketPriority = lower(Priority);
export const ticketType = lower(TicketType);
export const ticketStatus = lower(TicketStatus);

export const ticketSummarySchema = z
  .object({
    id: id("tkt", "ticket"),
    project_id: id("prj", "project"),
    number: z.number().int().describe("The ticket's number within its project (#1, #2, …)."),
    title: z.string(),
    status: ticketStatus,
    priority: ticketPriority,
    type: ticketType,
    labels: z.array(z.string()),
    source: lower(TicketSource),
    created_at: timestamp,
  })
  .register(responseSchemas, { id: "TicketSummary" });
export const ticketPageSchema = page(ticketSummarySchema, "tickets").register(responseSchemas, {
  id: "TicketPage",
});

export const ticketSchema = ticketSummarySchema
  .extend({
    description: z.string(),
    idempotency_key: z.string().nullable(),
    callback_url: z.string().nullable(),
    closed_at: nullableTimestamp,
    updated_at: timestamp,
    specs: z
      .array(z.object({ id: id("spc", "spec"), state: lower(SpecState) }))
      .describe("The ticket's specs, newest first."),
  })
  .register(responseSchemas, { id: "Ticket" });

export const createTicketRequestSchema = z
  .strictObject({
    project_id: z.string({ error: "project_id is required" }).min(1, "project_id is required"),
    title: z.string({ error: "title is required" }).describe("1–200 characters."),
    description: z.string().optional().describe("Markdown, up to 20,000 characters."),
    priority: z
      .enum(["low", "medium", "high", "critical"], {
        error: "priority must be low, medium, high or critical",
      })
      .default("medium"),
    type: z
      .enum(["feature", "bugfix", "refactor", "test", "docs", "chore"], {
        error: "type must be feature, bugfix, refactor, test, docs or chore",
      })
      .default("feature"),
    labels: z.array(z.string()).optional(),
  })
  .register(requestSchemas, { id: "CreateTicketRequest" });

// ─── Specs ─────────────────────────────────────────────────────────────────────

export const specPhase = lower(SpecPhase);

export const specSchema = z
  .object({
    id: id("spc", "spec"),
    project_id: id("prj", "project"),
    ticket_id: z.string().nullable(),
    title: z.string(),
    slug: z.string().describe("Folder name of the Markdown export."),
    state: lower(SpecState),
    failed_phase: specPhase.nullable(),
    failure_reason: z.string().nullable(),
    integration_branch: z.string().nullable(),
    pull_request_url: z.string().nullable(),
    task_count: z.number().int(),
    artifacts: z
      .array(
        z.object({
          phase: specPhase,
          version: z.number().int(),
          status: lower(ArtifactStatus),
          source: lower(ArtifactSource),
          content: z.record(z.string(), z.unknown()).describe("The phase's structured artifact."),
          feedback: z.string().nullable().describe("The change request this version answered."),
          created_at: timestamp,
        }),
      )
      .describe("The newest version of each phase that is not superseded."),
    approvals: z.array(
      z.object({
        phase: specPhase,
        version: z.number().int(),
        decision: lower(ApprovalDecision),
        feedback: z.string().nullable(),
        created_at: timestamp,
      }),
    ),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .register(responseSchemas, { id: "Spec" });

export const approveSpecRequestSchema = z
  .strictObject({
    phase: z
      .enum(["requirements", "design", "tasks"], {
        error: "phase must be requirements, design or tasks",
      })
      .describe("The phase in review."),
  })
  .register(requestSchemas, { id: "ApproveSpecRequest" });

export const requestChangesRequestSchema = z
  .strictObject({
    phase: z.enum(["requirements", "design", "tasks"], {
      error: "phase must be requirements, design or tasks",
    }),
    feedback: z
      .string({ error: "feedback is required" })
      .describe("What should change; the phase runs again with it."),
  })
  .register(requestSchemas, { id: "RequestChangesRequest" });

export const specExportSchema = z
  .object({
    folder: z.string().describe("The spec's folder name (.kiro/specs/<folder>/)."),
    files: z
      .object({
        "requirements.md": z.string().optional(),
        "design.md": z.string().optional(),
        "tasks.md": z.string().optional(),
      })
      .describe("A Markdown file per phase written so far, in the Kiro layout."),
  })
  .register(responseSchemas, { id: "SpecExport" });

// ─── Tasks and runs ────────────────────────────────────────────────────────────

export const taskStatus = lower(TaskStatus);

export const taskSummarySchema = z
  .object({
    id: id("tsk", "task"),
    project_id: id("prj", "project"),
    spec_id: id("spc", "spec"),
    key: z.string().describe("The task's number in its spec (1, 1.1, …)."),
    title: z.string(),
    phase: lower(TaskPhase),
    status: taskStatus,
    labels: z.array(z.string()),
    attempts: z.number().int(),
    max_attempts: z.number().int(),
    depends_on: z.array(z.string()).describe("Ids of the tasks this one waits for."),
    attention_reason: z.string().nullable(),
    started_at: nullableTimestamp,
    finished_at: nullableTimestamp,
    created_at: timestamp,
    updated_at: timestamp,
  })
  .register(responseSchemas, { id: "TaskSummary" });
export const taskPageSchema = page(taskSummarySchema, "tasks").register(responseSchemas, {
  id: "TaskPage",
});

export const taskSchema = taskSummarySchema
  .extend({
    description: z.string(),
    estimate_minutes: z.number().int().nullable(),
    files: z.array(z.string()),
    requirement_ids: z.array(z.string()),
    branch: z.string().nullable(),
    agent_kind: lower(AgentKind).nullable(),
    timeout_seconds: z.number().int(),
    cost_usd: money,
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    runs: z
      .array(
        z.object({
          id: id("run", "run"),
          attempt: z.number().int(),
          status: lower(RunStatus),
          started_at: nullableTimestamp,
          finished_at: nullableTimestamp,
        }),
      )
      .describe("Attempts, newest first; GET /runs/{runId} for one in full."),
  })
  .register(responseSchemas, { id: "Task" });

export const runSchema = z
  .object({
    id: id("run", "run"),
    task_id: z.string().nullable(),
    spec_id: z.string().nullable(),
    kind: z.string().describe("task, or the spec phase that ran (requirements, design, tasks)."),
    attempt: z.number().int(),
    status: lower(RunStatus),
    agent_kind: lower(AgentKind).nullable(),
    model: z.string().nullable(),
    branch: z.string().nullable(),
    commit_sha: z.string().nullable(),
    summary: z.string().nullable(),
    diff: z.string().nullable(),
    error_kind: lower(ErrorKind).nullable(),
    error_message: z.string().nullable(),
    cost_usd: money,
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    started_at: nullableTimestamp,
    finished_at: nullableTimestamp,
    created_at: timestamp,
    verifications: z.array(
      z.object({
        id: z.string(),
        kind: z.string().describe("setup, test or lint"),
        command: z.string(),
        exit_code: z.number().int().nullable(),
        passed: z.boolean(),
        output: z.string(),
        duration_ms: z.number().int(),
      }),
    ),
  })
  .register(responseSchemas, { id: "Run" });

export const runLogLineSchema = z
  .object({
    seq: z.number().int().describe("Position in the run's log."),
    stream: lower(LogStream),
    text: z.string(),
    created_at: timestamp,
  })
  .register(responseSchemas, { id: "RunLogLine" });
export const runLogPageSchema = page(runLogLineSchema, "log lines").register(responseSchemas, {
  id: "RunLogPage",
});

export const runTraceEventSchema = z
  .object({
    seq: z.number().int().describe("Position in the run's trace."),
    kind: z
      .string()
      .describe("model_call, tool_call, command, verification or note.")
      .meta({ examples: ["tool_call"] }),
    name: z.string().describe("The model, tool, command or note the step is about."),
    started_at: timestamp,
    finished_at: timestamp,
    duration_ms: z.number().int(),
    data: z
      .record(z.string(), z.unknown())
      .describe(
        "The step's details by kind: a model call's prompt (new messages), reply, tokens and cost; a tool call's input and output; a command's output and exit code; a verification's result. Long values are capped; runs on self-hosted runners keep no prompts, replies or code.",
      ),
  })
  .register(responseSchemas, { id: "RunTraceEvent" });
export const runTraceEventPageSchema = page(runTraceEventSchema, "trace events").register(
  responseSchemas,
  { id: "RunTraceEventPage" },
);

// ─── Activity ──────────────────────────────────────────────────────────────────

export const activityEventSchema = z
  .object({
    id: z.string(),
    type: z.string().describe('Dotted type, e.g. "ticket.created", "spec.approved".'),
    actor_kind: z.enum(["user", "system", "agent", "api", "github", "runner"]),
    actor: z.object({ name: z.string().nullable(), email: z.string() }).nullable(),
    summary: z.string().describe("The event as one sentence, as the timeline shows it."),
    project_id: z.string().nullable(),
    ticket_id: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    created_at: timestamp,
  })
  .register(responseSchemas, { id: "ActivityEvent" });
export const activityPageSchema = page(activityEventSchema, "events").register(responseSchemas, {
  id: "ActivityPage",
});

// ─── Callbacks ─────────────────────────────────────────────────────────────────

export const callbackDeliverySchema = z
  .object({
    id: id("cbk", "delivery"),
    ticket_id: id("tkt", "ticket"),
    url: z.string().describe("Where it is sent: the ticket's callback_url."),
    status: lower(CallbackStatus).describe(
      "pending (queued or between retries), delivered (a 2xx answer) or failed (given up).",
    ),
    attempts: z.number().int().describe("POSTs made since it was queued (or sent again)."),
    last_error: z.string().nullable().describe("Why the last attempt did not deliver it."),
    next_attempt_at: nullableTimestamp.describe("When a pending delivery is tried next."),
    delivered_at: nullableTimestamp,
    created_at: timestamp,
  })
  .register(responseSchemas, { id: "CallbackDelivery" });
export const callbackDeliveryPageSchema = page(callbackDeliverySchema, "deliveries").register(
  responseSchemas,
  { id: "CallbackDeliveryPage" },
);

// ─── Task intake ───────────────────────────────────────────────────────────────

export const enqueueTaskRequestSchema = enqueueTaskSchema.register(requestSchemas, {
  id: "EnqueueTaskRequest",
});

export const enqueueTaskResponseSchema = z
  .object({
    ticket_id: id("tkt", "ticket"),
    status: ticketStatus,
    created_at: timestamp,
  })
  .register(responseSchemas, { id: "EnqueueTaskResponse" });

// ─── API keys (their scopes name what a route needs) ───────────────────────────

export const apiKeyScope = lower(ApiKeyScope);
