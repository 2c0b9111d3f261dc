// The REST API, operation by operation. Each handler is the thin middle of an edge: its input is
// already authenticated and parsed (./serve-operation.ts); it calls the domain and maps the
// result (./serialize.ts). The route files under app/api/v1 serve these, and the OpenAPI document
// (./openapi.ts) is generated from this same list.
import { z } from "zod";
import { listActivity } from "@/lib/activity/list-activity";
import { AppError } from "@/lib/api/app-error";
import { listCallbackDeliveries } from "@/lib/callbacks/list-callback-deliveries";
import { resendCallbackDelivery } from "@/lib/callbacks/resend-callback-delivery";
import { getRun } from "@/lib/execution/get-run";
import { getTaskDetail } from "@/lib/execution/get-task-detail";
import { listRunLogs } from "@/lib/execution/list-run-logs";
import { listRunTraceEvents } from "@/lib/execution/list-run-trace-events";
import type {
  Priority,
  SpecPhase,
  TaskStatus,
  TicketStatus,
  TicketType,
} from "@/lib/generated/prisma/enums";
import { enqueueTask } from "@/lib/intake/enqueue-task";
import { getProject } from "@/lib/projects/get-project";
import { listProjects } from "@/lib/projects/list-projects";
import { approvePhase } from "@/lib/specs/approve-phase";
import { exportSpec } from "@/lib/specs/export-spec";
import { getSpec } from "@/lib/specs/get-spec";
import { listTicketSpecs } from "@/lib/specs/list-ticket-specs";
import { requestChanges } from "@/lib/specs/request-changes";
import { cancelTask } from "@/lib/tasks/cancel-task";
import { listTasks } from "@/lib/tasks/list-tasks";
import { retryTask } from "@/lib/tasks/retry-task";
import { createTicket } from "@/lib/tickets/create-ticket";
import { getTicket } from "@/lib/tickets/get-ticket";
import { listTickets } from "@/lib/tickets/list-tickets";
import { defineOperation, type Operation, Reply } from "./operation";
import { assertOwnCursor } from "./own-cursor";
import * as s from "./schemas";
import * as out from "./serialize";

const upper = <T extends string>(value: T) => value.toUpperCase() as Uppercase<T>;
const pathId = (description: string) => z.string().min(1).describe(description);

const projectParams = z.object({ projectId: pathId("A project id (prj_…).") });
const ticketParams = z.object({ ticketId: pathId("A ticket id (tkt_…).") });
const specParams = z.object({ specId: pathId("A spec id (spc_…).") });
const taskParams = z.object({ taskId: pathId("A task id (tsk_…).") });
const runParams = z.object({ runId: pathId("A run id (run_…).") });
const deliveryParams = z.object({ deliveryId: pathId("A callback delivery id (cbk_…).") });

/** A cursor of a list paged by sequence number (a run's log lines, its trace events). */
function seqCursor(cursor: string | undefined): number | undefined {
  const afterSeq = cursor === undefined ? undefined : Number(cursor);
  if (afterSeq !== undefined && !(Number.isInteger(afterSeq) && afterSeq >= 0)) {
    throw new AppError("INVALID", "cursor is not a cursor this API gave you.", {
      fields: { cursor: "Use next_cursor from the previous page" },
    });
  }
  return afterSeq;
}

/** A page of a list paged by sequence number, with the next page's cursor. */
function seqPage<T, O>(page: { items: T[]; nextSeq: number | null }, map: (item: T) => O) {
  return {
    data: page.items.map(map),
    next_cursor: page.nextSeq === null ? null : String(page.nextSeq),
  };
}

const pageQuery = (max: number, fallback: number) =>
  z.object({ cursor: s.cursorParam, limit: s.limitParam(max, fallback) });

const listProjectsOp = defineOperation({
  operationId: "listProjects",
  method: "GET",
  path: "/projects",
  tag: "Projects",
  summary: "List projects",
  description: "The organization's projects, newest first.",
  scope: "read",
  query: pageQuery(100, 50),
  response: s.projectPageSchema,
  async handle({ db, actor, query }) {
    await assertOwnCursor(db, { orgId: actor.orgId, of: "project", cursor: query.cursor });
    const rows = await listProjects(db, { actor, take: query.limit + 1, cursor: query.cursor });
    const items = rows.slice(0, query.limit);
    return {
      data: items.map(out.projectOut),
      next_cursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null,
    };
  },
});

const getProjectOp = defineOperation({
  operationId: "getProject",
  method: "GET",
  path: "/projects/{projectId}",
  tag: "Projects",
  summary: "Get a project",
  scope: "read",
  params: projectParams,
  response: s.projectSchema,
  errors: ["NOT_FOUND"],
  async handle({ db, actor, params }) {
    return out.projectOut(await getProject(db, { actor, projectId: params.projectId }));
  },
});

const listTicketsOp = defineOperation({
  operationId: "listTickets",
  method: "GET",
  path: "/tickets",
  tag: "Tickets",
  summary: "List tickets",
  description: "Newest first, optionally by project and status.",
  scope: "read",
  query: pageQuery(100, 25).extend({
    project_id: z.string().min(1).optional().describe("Only this project's tickets."),
    status: s.ticketStatus.optional().describe("Only tickets with this status."),
  }),
  response: s.ticketPageSchema,
  async handle({ db, actor, query }) {
    await assertOwnCursor(db, { orgId: actor.orgId, of: "ticket", cursor: query.cursor });
    const page = await listTickets(db, {
      actor,
      input: {
        projectId: query.project_id,
        status: query.status ? (upper(query.status) as TicketStatus) : undefined,
        cursor: query.cursor,
        limit: query.limit,
      },
    });
    return { data: page.items.map(out.ticketSummaryOut), next_cursor: page.nextCursor };
  },
});

const getTicketOp = defineOperation({
  operationId: "getTicket",
  method: "GET",
  path: "/tickets/{ticketId}",
  tag: "Tickets",
  summary: "Get a ticket",
  description: "With its specs, newest first.",
  scope: "read",
  params: ticketParams,
  response: s.ticketSchema,
  errors: ["NOT_FOUND"],
  async handle({ db, actor, params }) {
    const ticket = await getTicket(db, { actor, ticketId: params.ticketId });
    return out.ticketOut(ticket, await listTicketSpecs(db, { actor, ticketId: ticket.id }));
  },
});

const createTicketOp = defineOperation({
  operationId: "createTicket",
  method: "POST",
  path: "/tickets",
  tag: "Tickets",
  summary: "Create a ticket",
  description:
    "Files a ticket in a project, as the web app does; start its spec in the app. For work that should run by itself, with idempotency and a callback, use POST /tasks/enqueue.",
  scope: "write",
  body: s.createTicketRequestSchema,
  example: {
    project_id: "prj_01jq8x0c4e3v7r9k2m5n8p1t6w",
    title: "Add search to the ticket list",
    description: "Search by title, case-insensitive.",
    priority: "high",
    type: "feature",
    labels: ["ui"],
  },
  response: s.ticketSchema,
  status: 201,
  errors: ["NOT_FOUND"],
  async handle({ db, actor, body }) {
    const ticket = await createTicket(db, {
      actor,
      source: "API",
      input: {
        projectId: body.project_id,
        title: body.title,
        description: body.description,
        priority: upper(body.priority) as Priority,
        type: upper(body.type) as TicketType,
        labels: body.labels,
      },
    });
    return out.ticketOut(ticket, []);
  },
});

const getSpecOp = defineOperation({
  operationId: "getSpec",
  method: "GET",
  path: "/specs/{specId}",
  tag: "Specs",
  summary: "Get a spec",
  description: "Its state, the newest version of each phase's artifact, and the approval history.",
  scope: "read",
  params: specParams,
  response: s.specSchema,
  errors: ["NOT_FOUND"],
  async handle({ db, actor, params }) {
    return out.specOut(await getSpec(db, { actor, specId: params.specId }));
  },
});

const approveSpecOp = defineOperation({
  operationId: "approveSpec",
  method: "POST",
  path: "/specs/{specId}/approve",
  tag: "Specs",
  summary: "Approve the phase in review",
  description:
    "Approves the phase's newest version; the next phase starts (or, after the tasks, execution). 409 when the spec is not reviewing that phase.",
  scope: "write",
  params: specParams,
  body: s.approveSpecRequestSchema,
  example: { phase: "requirements" },
  response: s.specSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
  async handle({ db, actor, params, body }) {
    await approvePhase(db, {
      actor,
      input: { specId: params.specId, phase: upper(body.phase) as SpecPhase },
    });
    return out.specOut(await getSpec(db, { actor, specId: params.specId }));
  },
});

const requestChangesOp = defineOperation({
  operationId: "requestSpecChanges",
  method: "POST",
  path: "/specs/{specId}/request-changes",
  tag: "Specs",
  summary: "Request changes to the phase in review",
  description:
    "The phase runs again with the feedback and writes a new version; the old one stays in the history.",
  scope: "write",
  params: specParams,
  body: s.requestChangesRequestSchema,
  example: { phase: "requirements", feedback: "Also cover searching by ticket number." },
  response: s.specSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
  async handle({ db, actor, params, body }) {
    await requestChanges(db, {
      actor,
      input: {
        specId: params.specId,
        phase: upper(body.phase) as SpecPhase,
        feedback: body.feedback,
      },
    });
    return out.specOut(await getSpec(db, { actor, specId: params.specId }));
  },
});

const exportSpecOp = defineOperation({
  operationId: "exportSpec",
  method: "GET",
  path: "/specs/{specId}/export",
  tag: "Specs",
  summary: "Export a spec as Markdown",
  description:
    "requirements.md, design.md and tasks.md in the Kiro layout, for the phases written so far.",
  scope: "read",
  params: specParams,
  response: s.specExportSchema,
  errors: ["NOT_FOUND"],
  async handle({ db, actor, params }) {
    return out.specExportOut(await exportSpec(db, { actor, specId: params.specId }));
  },
});

const listTasksOp = defineOperation({
  operationId: "listTasks",
  method: "GET",
  path: "/tasks",
  tag: "Tasks",
  summary: "List tasks",
  description: "In queue order, optionally by spec, project and status.",
  scope: "read",
  query: pageQuery(500, 100).extend({
    spec_id: z.string().min(1).optional().describe("Only this spec's tasks."),
    project_id: z.string().min(1).optional().describe("Only this project's tasks."),
    status: s.taskStatus.optional().describe("Only tasks with this status."),
  }),
  response: s.taskPageSchema,
  async handle({ db, actor, query }) {
    await assertOwnCursor(db, { orgId: actor.orgId, of: "task", cursor: query.cursor });
    const page = await listTasks(db, {
      actor,
      specId: query.spec_id,
      projectId: query.project_id,
      status: query.status ? (upper(query.status) as TaskStatus) : undefined,
      cursor: query.cursor,
      limit: query.limit,
    });
    return { data: page.items.map(out.taskSummaryOut), next_cursor: page.nextCursor };
  },
});

const getTaskOp = defineOperation({
  operationId: "getTask",
  method: "GET",
  path: "/tasks/{taskId}",
  tag: "Tasks",
  summary: "Get a task",
  description: "With its dependencies and its runs (attempts).",
  scope: "read",
  params: taskParams,
  response: s.taskSchema,
  errors: ["NOT_FOUND"],
  async handle({ db, actor, params }) {
    return out.taskOut(await getTaskDetail(db, { actor, taskId: params.taskId, logLimit: 0 }));
  },
});

const cancelTaskOp = defineOperation({
  operationId: "cancelTask",
  method: "POST",
  path: "/tasks/{taskId}/cancel",
  tag: "Tasks",
  summary: "Cancel a task",
  description:
    "A running task's agent stops at its next heartbeat. 409 when the task has already ended.",
  scope: "write",
  params: taskParams,
  response: s.taskSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
  async handle({ db, actor, params }) {
    await cancelTask(db, { actor, taskId: params.taskId });
    return out.taskOut(await getTaskDetail(db, { actor, taskId: params.taskId, logLimit: 0 }));
  },
});

const retryTaskOp = defineOperation({
  operationId: "retryTask",
  method: "POST",
  path: "/tasks/{taskId}/retry",
  tag: "Tasks",
  summary: "Retry a task",
  description:
    "Queues a failed task (or one that needs attention) again with fresh attempts. 409 otherwise.",
  scope: "write",
  params: taskParams,
  response: s.taskSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
  async handle({ db, actor, params }) {
    await retryTask(db, { actor, taskId: params.taskId });
    return out.taskOut(await getTaskDetail(db, { actor, taskId: params.taskId, logLimit: 0 }));
  },
});

const enqueueTaskOp = defineOperation({
  operationId: "enqueueTask",
  method: "POST",
  path: "/tasks/enqueue",
  tag: "Intake",
  summary: "Enqueue work (task intake)",
  description: [
    "Files the work as a ticket in the project `target.repository` names (its slug, its GitHub repository owner/name, its local path, or its id) and starts its spec pipeline.",
    "The organization's intake policy (Settings → Intake policy) may refuse it: 400 naming the rule.",
    "With an `idempotency_key`, repeating the request — also concurrently — returns the same ticket (200, header `Idempotent-Replayed: true`); the same key with a different request is 409.",
    "With a `callback_url`, a signed POST (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the organization's signing secret from Settings) reports when the work ends (`ticket.done`, `ticket.failed`, `ticket.cancelled`), retried with exponential backoff on 5xx and network errors. The URL must resolve to a public address (checked now and at delivery, redirects not followed) unless its host is allowed in Settings: 422 otherwise.",
  ].join("\n\n"),
  scope: "write",
  body: s.enqueueTaskRequestSchema,
  example: {
    type: "bugfix",
    payload: {
      title: "Fix the login redirect loop",
      description: "Users bounce between /login and /.",
    },
    priority: "high",
    source: "ci:github-actions",
    target: { repository: "web", ref: "main", path: "src/auth" },
    options: { timeout: 1800, retries: 2, approval_mode: "manual" },
    metadata: { build: 4711 },
    tags: ["ci"],
    idempotency_key: "build-4711-login",
    callback_url: "https://ci.example.com/hooks/trellis",
  },
  response: s.enqueueTaskResponseSchema,
  status: 201,
  alsoStatus: [
    {
      status: 200,
      description: "An idempotent replay: the ticket an earlier request with this key made.",
    },
  ],
  errors: ["CONFLICT", "UNPROCESSABLE"],
  async handle({ db, actor, body }) {
    const { ticket, replayed } = await enqueueTask(db, { actor, input: body });
    const data = {
      ticket_id: ticket.id,
      status: ticket.status.toLowerCase() as Lowercase<TicketStatus>,
      created_at: ticket.createdAt.toISOString(),
    };
    return replayed
      ? new Reply(data, 200, { "Idempotent-Replayed": "true" })
      : new Reply(data, 201);
  },
});

const getRunOp = defineOperation({
  operationId: "getRun",
  method: "GET",
  path: "/runs/{runId}",
  tag: "Runs",
  summary: "Get a run",
  description:
    "One attempt of a task (or a spec phase's run): outcome, branch and commit, diff, verifications, cost.",
  scope: "read",
  params: runParams,
  response: s.runSchema,
  errors: ["NOT_FOUND"],
  async handle({ db, actor, params }) {
    return out.runOut(await getRun(db, { actor, runId: params.runId }));
  },
});

const listRunLogsOp = defineOperation({
  operationId: "listRunLogs",
  method: "GET",
  path: "/runs/{runId}/logs",
  tag: "Runs",
  summary: "List a run's log lines",
  description: "In order. Poll with the last next_cursor to follow a running task.",
  scope: "read",
  params: runParams,
  query: z.object({
    cursor: s.cursorParam,
    limit: s.limitParam(1000, 500),
  }),
  response: s.runLogPageSchema,
  errors: ["NOT_FOUND"],
  async handle({ db, actor, params, query }) {
    const page = await listRunLogs(db, {
      actor,
      input: { runId: params.runId, afterSeq: seqCursor(query.cursor), limit: query.limit },
    });
    return seqPage(page, out.runLogLineOut);
  },
});

const listRunTraceEventsOp = defineOperation({
  operationId: "listRunTraceEvents",
  method: "GET",
  path: "/runs/{runId}/trace",
  tag: "Runs",
  summary: "List a run's trace events",
  description:
    "The run's steps in order: model calls (prompt, reply, tokens, cost), tool calls, commands, verification and notes, each with its start and duration. Poll with the last next_cursor to follow a running task.",
  scope: "read",
  params: runParams,
  query: z.object({
    cursor: s.cursorParam,
    limit: s.limitParam(500, 100),
  }),
  response: s.runTraceEventPageSchema,
  errors: ["NOT_FOUND"],
  async handle({ db, actor, params, query }) {
    const page = await listRunTraceEvents(db, {
      actor,
      input: { runId: params.runId, afterSeq: seqCursor(query.cursor), limit: query.limit },
    });
    return seqPage(page, out.runTraceEventOut);
  },
});

const listActivityOp = defineOperation({
  operationId: "listActivity",
  method: "GET",
  path: "/activity",
  tag: "Activity",
  summary: "List activity",
  description:
    "Every state change, newest first, optionally by type family (ticket) or prefix (ticket.created) and project.",
  scope: "read",
  query: pageQuery(100, 50).extend({
    type: z.string().max(80).optional().describe("An event family or dotted prefix."),
    project_id: z.string().min(1).optional(),
  }),
  response: s.activityPageSchema,
  async handle({ db, actor, query }) {
    await assertOwnCursor(db, { orgId: actor.orgId, of: "activityEvent", cursor: query.cursor });
    const page = await listActivity(db, {
      actor,
      input: {
        type: query.type,
        projectId: query.project_id,
        cursor: query.cursor,
        limit: query.limit,
      },
    });
    return { data: page.items.map(out.activityOut), next_cursor: page.nextCursor };
  },
});

const listCallbackDeliveriesOp = defineOperation({
  operationId: "listCallbackDeliveries",
  method: "GET",
  path: "/callback-deliveries",
  tag: "Callbacks",
  summary: "List callback deliveries",
  description:
    "The callbacks sent (or to be sent) when enqueued work ended, newest first, optionally one ticket's. Admin keys only: callback URLs often carry a token.",
  scope: "admin",
  query: pageQuery(100, 50).extend({
    ticket_id: z.string().min(1).optional().describe("Only this ticket's deliveries."),
  }),
  response: s.callbackDeliveryPageSchema,
  async handle({ db, actor, query }) {
    await assertOwnCursor(db, { orgId: actor.orgId, of: "callbackDelivery", cursor: query.cursor });
    const rows = await listCallbackDeliveries(db, {
      actor,
      ticketId: query.ticket_id,
      take: query.limit + 1,
      cursor: query.cursor,
    });
    const items = rows.slice(0, query.limit);
    return {
      data: items.map(out.callbackDeliveryOut),
      next_cursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null,
    };
  },
});

const resendCallbackDeliveryOp = defineOperation({
  operationId: "resendCallbackDelivery",
  method: "POST",
  path: "/callback-deliveries/{deliveryId}/resend",
  tag: "Callbacks",
  summary: "Send a callback again",
  description:
    "Queues a failed or delivered callback to be sent again now, with its attempts reset: the same payload under the same webhook-id, signed and checked against the SSRF guard when it is sent. 409 while it is pending (already queued). Admin keys only.",
  scope: "admin",
  params: deliveryParams,
  response: s.callbackDeliverySchema,
  errors: ["NOT_FOUND", "CONFLICT"],
  async handle({ db, actor, params }) {
    return out.callbackDeliveryOut(
      await resendCallbackDelivery(db, { actor, input: { deliveryId: params.deliveryId } }),
    );
  },
});

/** Every operation of the REST API, in the order the reference lists them. */
export const operations: readonly Operation[] = [
  listProjectsOp,
  getProjectOp,
  listTicketsOp,
  createTicketOp,
  getTicketOp,
  enqueueTaskOp,
  getSpecOp,
  approveSpecOp,
  requestChangesOp,
  exportSpecOp,
  listTasksOp,
  getTaskOp,
  cancelTaskOp,
  retryTaskOp,
  getRunOp,
  listRunLogsOp,
  listRunTraceEventsOp,
  listActivityOp,
  listCallbackDeliveriesOp,
  resendCallbackDeliveryOp,
];

/** The operation served at `method path` (OpenAPI form); throws for one that does not exist. */
export function operation(method: Operation["method"], path: string): Operation {
  const found = operations.find((o) => o.method === method && o.path === path);
  if (!found) throw new Error(`No API operation ${method} ${path}`);
  return found;
}
