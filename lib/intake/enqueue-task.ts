import "server-only";
import { createHash } from "node:crypto";
import { AppError } from "@/lib/api/app-error";
import { ensureCallbackSecret, getCallbackSettings } from "@/lib/callbacks/callback-settings";
import { checkCallbackUrl, type Resolver } from "@/lib/callbacks/safe-url";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Priority, TicketType } from "@/lib/generated/prisma/enums";
import { getJobEngine } from "@/lib/jobs/get-job-engine";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { createTicket } from "@/lib/tickets/create-ticket";
import { type IntakeStartRequest, intakeStartId, intakeTicketEnqueued } from "./intake-event";
import { evaluateIntakePolicy } from "./intake-policy";
import { type EnqueueTaskInput, type EnqueueTaskRequest, enqueueTaskSchema } from "./intake-schema";
import { resolveTargetProject } from "./resolve-target-project";

type EnqueuedTicket = { id: string; status: string; createdAt: Date };

/** JSON with sorted keys, so two equal requests hash the same whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const ticketSelect = { id: true, status: true, createdAt: true, intake: true } as const;

/** The ticket an earlier request with this key made; a different request under the key is a CONFLICT. */
async function replayOf(
  db: Db,
  options: { orgId: string; idempotencyKey: string; requestHash: string },
): Promise<EnqueuedTicket | null> {
  const existing = await db.ticket.findUnique({
    where: {
      orgId_idempotencyKey: { orgId: options.orgId, idempotencyKey: options.idempotencyKey },
    },
    select: ticketSelect,
  });
  if (!existing) return null;
  const intake = existing.intake as { request_hash?: unknown } | null;
  if (intake?.request_hash !== undefined && intake.request_hash !== options.requestHash) {
    throw new AppError(
      "CONFLICT",
      "idempotency_key was already used for a different request; use a new key for new work.",
      {
        fields: { idempotency_key: "Already used for a different request" },
        ticketId: existing.id,
      },
    );
  }
  return existing;
}

function isIdempotencyConflict(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * Task intake: files the request as a ticket in the project `target.repository` names and starts
 * its spec pipeline. In order: validation (nothing is written for a malformed request), the
 * idempotency key (the same key returns the same ticket — also for concurrent duplicates, which the
 * unique (orgId, idempotencyKey) index settles), the organization's intake policy (a refusal names
 * the rule), the target project, and the callback URL's SSRF check.
 */
export async function enqueueTask(
  db: Db,
  options: { actor: Actor; input: EnqueueTaskInput; resolver?: Resolver },
): Promise<{ ticket: EnqueuedTicket; replayed: boolean }> {
  const { actor } = options;
  assertCan(actor, "write");
  const request: EnqueueTaskRequest = enqueueTaskSchema.parse(options.input);
  const requestHash = createHash("sha256").update(canonicalJson(request)).digest("hex");
  const key = request.idempotency_key;

  if (key) {
    const replay = await replayOf(db, { orgId: actor.orgId, idempotencyKey: key, requestHash });
    if (replay) return { ticket: await startPipeline(actor, replay), replayed: true };
  }

  const rules = await db.intakeRule.findMany({
    where: { orgId: actor.orgId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, name: true, effect: true, field: true, pattern: true },
  });
  const decision = evaluateIntakePolicy(rules, {
    type: request.type,
    repository: request.target.repository,
    path: request.target.path ?? null,
    priority: request.priority,
    tags: request.tags,
  });
  if (!decision.allowed) {
    throw new AppError(
      "INVALID",
      `Refused by intake rule "${decision.rule.name}": ${decision.reason}.`,
      {
        fields: { [decision.field]: `Refused by intake rule "${decision.rule.name}"` },
        rule: decision.rule,
      },
    );
  }

  const project = await resolveTargetProject(db, {
    orgId: actor.orgId,
    repository: request.target.repository,
  });

  if (request.callback_url) {
    const { allowedCallbackHosts } = await getCallbackSettings(db, actor.orgId);
    const check = await checkCallbackUrl(request.callback_url, {
      allowedHosts: allowedCallbackHosts,
      resolver: options.resolver,
    });
    if (!check.ok) {
      throw new AppError("UNPROCESSABLE", `callback_url ${check.reason}.`, {
        fields: { callback_url: `Refused: it ${check.reason}` },
      });
    }
    // Deliveries are signed with the organization's secret: make sure it exists before any.
    await ensureCallbackSecret(db, actor.orgId);
  }

  const { title, description, ...payloadExtra } = request.payload;
  let ticket: EnqueuedTicket;
  try {
    ticket = await createTicket(db, {
      actor,
      source: "API",
      input: {
        projectId: project.id,
        title,
        description,
        priority: request.priority.toUpperCase() as Priority,
        type: request.type.toUpperCase() as TicketType,
        labels: request.tags,
      },
      intake: {
        idempotencyKey: key,
        callbackUrl: request.callback_url,
        data: {
          source: request.source,
          target: request.target,
          options: request.options,
          metadata: request.metadata,
          payload: payloadExtra,
          request_hash: requestHash,
          ...(actor.apiKeyId ? { api_key_id: actor.apiKeyId } : {}),
        } as Prisma.InputJsonObject,
      },
    });
  } catch (error) {
    // A concurrent request with the same key committed first: answer with its ticket.
    if (key && isIdempotencyConflict(error)) {
      const replay = await replayOf(db, { orgId: actor.orgId, idempotencyKey: key, requestHash });
      if (replay) return { ticket: await startPipeline(actor, replay), replayed: true };
    }
    throw error;
  }
  return { ticket: await startPipeline(actor, ticket), replayed: false };
}

/**
 * Asks for the ticket's spec pipeline to start. Sent for replays too: the event id is the
 * ticket's, so the engines start one run, and a crash between the ticket's commit and the first
 * send is healed by the client's retry.
 */
async function startPipeline(actor: Actor, ticket: EnqueuedTicket): Promise<EnqueuedTicket> {
  const data: IntakeStartRequest = { ticketId: ticket.id, actor };
  await getJobEngine().send({ name: intakeTicketEnqueued, data, id: intakeStartId(ticket.id) });
  return { id: ticket.id, status: ticket.status, createdAt: ticket.createdAt };
}
