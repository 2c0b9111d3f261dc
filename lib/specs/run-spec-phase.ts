import "server-only";
import { callModel } from "@/lib/agents/call-model";
import { LlmError } from "@/lib/agents/llm-error";
import type { LlmProvider } from "@/lib/agents/llm-provider";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SpecState } from "@/lib/generated/prisma/enums";
import { notifySpecStatus } from "@/lib/github/spec-status";
import { intakeAutoApprove } from "@/lib/intake/intake-options";
import type { StepTools } from "@/lib/jobs/port";
import { applyApproval } from "./approve-phase";
import {
  type DesignContent,
  designContentSchema,
  type RequirementsContent,
  requirementsContentSchema,
  type TasksContent,
  validateTasksContent,
} from "./artifact-schemas";
import { nextArtifactVersion } from "./next-artifact-version";
import type { SpecPhaseRequest } from "./phase-event";
import { type PhaseInput, phaseRequest } from "./phase-prompts";
import { requestPhaseRun } from "./request-phase-run";
import { saveArtifact } from "./save-artifact";
import { nextPhase, runningStateOf } from "./state-machine";
import { transitionSpec } from "./transition-spec";

/** How many times a task graph with a cycle or dangling dependency goes back to the model. */
export const maxTaskGraphRepairs = 2;

type Loaded =
  | { run: false; reason: string }
  | { run: true; input: PhaseInput; autoApprove: boolean };
type Generated = { ok: true; content: unknown } | { ok: false; reason: string };

const approvalField = {
  REQUIREMENTS: "approvalRequirements",
  DESIGN: "approvalDesign",
  TASKS: "approvalTasks",
} as const;

/**
 * One phase of one spec, as durable steps: load what the phase needs, ask the
 * model (repairing a bad task graph a bounded number of times), then save the
 * version, move the spec to review and, when the project auto-approves, on to
 * the next phase. Every step is safe to repeat: a duplicate or late run finds
 * the spec moved on and does nothing.
 */
export async function runSpecPhase(
  db: Db,
  options: { request: SpecPhaseRequest; step: StepTools; provider?: LlmProvider },
) {
  const { request, step, provider } = options;
  const loaded = await step.run("load", () => loadPhaseInput(db, request));
  if (!loaded.run) return { skipped: loaded.reason };

  let generated = await step.run("generate", () => generate(db, request, loaded.input, provider));
  if (request.phase === "TASKS") {
    for (let round = 1; generated.ok && round <= maxTaskGraphRepairs + 1; round++) {
      const problems = taskGraphProblems(generated.content, loaded.input.requirements);
      if (problems.length === 0) break;
      if (round > maxTaskGraphRepairs) {
        generated = {
          ok: false,
          reason: `The task graph was still invalid after ${maxTaskGraphRepairs} repairs: ${problems.join("; ")}`,
        };
        break;
      }
      const repairInput: PhaseInput = {
        ...loaded.input,
        repairProblems: problems,
        previousTasks: generated.content as TasksContent,
      };
      generated = await step.run(`repair-${round}`, () =>
        generate(db, request, repairInput, provider),
      );
    }
  }

  if (!generated.ok) {
    const reason = generated.reason;
    await step.run("fail", () => failSpecPhase(db, request, reason));
    return { failed: reason };
  }
  const content = generated.content;
  const next = await step.run("save", async () => {
    const queued = await savePhase(db, request, content, loaded.autoApprove);
    // A GitHub-linked spec comments on its issue (ready for review, execution started).
    await notifySpecStatus(db, request);
    return queued;
  });
  if (next) await step.run("queue-next", async () => (await requestPhaseRun(next)).runId);
  return { saved: request.version, next };
}

async function loadPhaseInput(db: Db, request: SpecPhaseRequest): Promise<Loaded> {
  const spec = await db.spec.findFirst({
    where: { id: request.specId, orgId: request.orgId },
    select: {
      state: true,
      ticket: {
        select: { title: true, description: true, type: true, labels: true, intake: true },
      },
      project: {
        select: {
          name: true,
          defaultBranch: true,
          approvalRequirements: true,
          approvalDesign: true,
          approvalTasks: true,
        },
      },
      artifacts: {
        where: { OR: [{ status: "APPROVED" }, { phase: request.phase }] },
        orderBy: { version: "desc" },
        select: { phase: true, version: true, status: true, content: true },
      },
      approvals: {
        where: {
          phase: request.phase,
          decision: "CHANGES_REQUESTED",
          version: request.version - 1,
        },
        select: { feedback: true },
        take: 1,
      },
    },
  });
  if (!spec) return { run: false, reason: "spec not found" };
  if (spec.state !== runningStateOf(request.phase))
    return { run: false, reason: `spec is ${spec.state}` };
  if (spec.artifacts.some((a) => a.phase === request.phase && a.version >= request.version)) {
    return { run: false, reason: `version ${request.version} exists` };
  }
  const approved = (phase: string) =>
    spec.artifacts.find((a) => a.phase === phase && a.status === "APPROVED")?.content;
  const requirements = approved("REQUIREMENTS");
  const design = approved("DESIGN");
  const feedback = spec.approvals[0]?.feedback ?? undefined;
  // The intake request stays out of the phase input (and so out of the model's prompt).
  const { intake, ...ticket } = spec.ticket ?? {
    intake: null,
    title: "Untitled",
    description: "",
    type: "FEATURE" as const,
    labels: [],
  };
  const previous = feedback
    ? spec.artifacts.find((a) => a.phase === request.phase && a.version === request.version - 1)
        ?.content
    : undefined;
  return {
    run: true,
    // A ticket enqueued through the API may choose its own approval mode for every phase.
    autoApprove: intakeAutoApprove(intake) ?? spec.project[approvalField[request.phase]] === "AUTO",
    input: {
      phase: request.phase,
      ticket,
      project: { name: spec.project.name, defaultBranch: spec.project.defaultBranch },
      requirements: requirements
        ? (requirementsContentSchema.parse(requirements) as RequirementsContent)
        : undefined,
      design: design ? (designContentSchema.parse(design) as DesignContent) : undefined,
      previous: previous ?? undefined,
      feedback,
    },
  };
}

async function generate(
  db: Db,
  request: SpecPhaseRequest,
  input: PhaseInput,
  provider: LlmProvider | undefined,
): Promise<Generated> {
  try {
    const result = await callModel(db, {
      orgId: request.orgId,
      specId: request.specId,
      provider,
      request: phaseRequest(input),
    });
    return { ok: true, content: result.value };
  } catch (error) {
    // A refusal the user can act on (bad key, malformed answers, exhausted retries) fails the phase;
    // anything else is thrown so the job engine retries the step.
    if (error instanceof LlmError) return { ok: false, reason: error.userMessage };
    throw error;
  }
}

function taskGraphProblems(
  content: unknown,
  requirements: RequirementsContent | undefined,
): string[] {
  return validateTasksContent(content as TasksContent, {
    requirementIds: requirements?.requirements.map((r) => r.id) ?? [],
  }).map((p) => p.message);
}

async function savePhase(
  db: Db,
  request: SpecPhaseRequest,
  content: unknown,
  autoApprove: boolean,
): Promise<SpecPhaseRequest | null> {
  return db.$transaction(async (tx) => {
    const spec = await tx.spec.findFirst({
      where: { id: request.specId },
      select: { state: true },
    });
    if (spec?.state !== runningStateOf(request.phase)) {
      // Either this very save committed in an earlier attempt whose result the engine never
      // recorded (a step runs at least once) — then the auto-approved next phase must still be
      // queued — or the spec was cancelled or moved on while the model worked: keep nothing.
      return autoApprove && spec ? alreadyApprovedNext(tx, request, spec.state) : null;
    }
    const feedback = await tx.approval.findFirst({
      where: {
        specId: request.specId,
        phase: request.phase,
        decision: "CHANGES_REQUESTED",
        version: request.version - 1,
      },
      select: { feedback: true },
    });
    await saveArtifact(tx, {
      orgId: request.orgId,
      specId: request.specId,
      phase: request.phase,
      version: request.version,
      content: content as Prisma.InputJsonValue,
      source: "AGENT",
      feedback: feedback?.feedback,
    });
    await transitionSpec(tx, {
      orgId: request.orgId,
      specId: request.specId,
      event: { type: "phaseSucceeded", phase: request.phase },
      actorKind: "AGENT",
      activityData: { version: request.version },
    });
    if (!autoApprove) return null;
    return applyApproval(tx, {
      orgId: request.orgId,
      specId: request.specId,
      phase: request.phase,
      actorId: null,
    });
  });
}

/**
 * The next phase's request when `request`'s version was already saved and auto-approved and the
 * spec still waits, in the next phase's running state, for that phase to run. The version is
 * computed as the approval computed it, so the event id is the same and a send that did happen
 * starts no second run.
 */
async function alreadyApprovedNext(
  tx: Prisma.TransactionClient,
  request: SpecPhaseRequest,
  state: SpecState,
): Promise<SpecPhaseRequest | null> {
  const next = nextPhase(request.phase);
  if (!next || state !== runningStateOf(next)) return null;
  const autoApproved = await tx.approval.findFirst({
    where: {
      specId: request.specId,
      phase: request.phase,
      version: request.version,
      decision: "APPROVED",
      actorId: null,
    },
    select: { id: true },
  });
  if (!autoApproved) return null;
  return {
    orgId: request.orgId,
    specId: request.specId,
    phase: next,
    version: await nextArtifactVersion(tx, request.specId, next),
  };
}

/** Marks the phase failed with a reason a person can act on (no-op if the spec moved on). */
export async function failSpecPhase(db: Db, request: SpecPhaseRequest, reason: string) {
  await db.$transaction(async (tx) => {
    const spec = await tx.spec.findFirst({
      where: { id: request.specId },
      select: { state: true },
    });
    if (spec?.state !== runningStateOf(request.phase)) return;
    await transitionSpec(tx, {
      orgId: request.orgId,
      specId: request.specId,
      event: { type: "phaseFailed", phase: request.phase },
      actorKind: "AGENT",
      data: { failedPhase: request.phase, failureReason: reason },
      activityData: { reason },
    });
  });
  return true;
}
