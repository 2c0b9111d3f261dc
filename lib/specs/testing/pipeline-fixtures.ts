// Shared pieces for the spec pipeline's tests: step tools that memoise like the engines do, a job
// engine that records what it is asked to send, model answers for the fake Messages API, and a
// helper that walks a spec (offline, approving each phase) up to the phase a test is about.
import type { LlmProvider } from "@/lib/agents/llm-provider";
import { OfflineProvider } from "@/lib/agents/offline-provider";
import type { Db } from "@/lib/db/client";
import type { SpecPhase } from "@/lib/generated/prisma/enums";
import { type JobEngine, type JobEvent, type StepTools, toJson } from "@/lib/jobs/port";
import type { Actor } from "@/lib/orgs/roles";
import { approvePhase } from "@/lib/specs/approve-phase";
import type { RequirementsContent, TasksContent } from "@/lib/specs/artifact-schemas";
import { offlineAuthors } from "@/lib/specs/offline-authors";
import type { SpecPhaseRequest } from "@/lib/specs/phase-event";
import { runSpecPhase } from "@/lib/specs/run-spec-phase";
import { startTicketSpec } from "@/lib/specs/start-ticket-spec";
import { phaseOrder } from "@/lib/specs/state-machine";
import type { FakeReply } from "@/lib/testing/fake-anthropic";

export const offlineProvider = (): LlmProvider => new OfflineProvider(offlineAuthors);

/** What a crash did to a step: its body finished (and committed), but no result was recorded. */
export class LostStepResult extends Error {
  constructor(id: string) {
    super(`the process died after step "${id}" finished, before its result was recorded`);
    this.name = "LostStepResult";
  }
}

/**
 * In-memory step tools with the engines' contract: a finished step answers from its stored
 * (JSON round-tripped) result. Share one between two runs to replay; use a new one for a new run.
 * `loseResultOf` names a step whose first finish is lost as in a crash (the body ran, then
 * LostStepResult is thrown), so a replay runs that body again — steps are at-least-once.
 */
export function memoSteps(options: { loseResultOf?: string } = {}): StepTools & { ran: string[] } {
  const finished = new Map<string, unknown>();
  const ran: string[] = [];
  let lose = options.loseResultOf;
  return {
    ran,
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      if (finished.has(id)) return finished.get(id) as T;
      ran.push(id);
      const result = toJson(await fn());
      if (id === lose) {
        lose = undefined;
        throw new LostStepResult(id);
      }
      finished.set(id, result);
      return result;
    },
  };
}

/** A job engine that only records the events it is asked to send. */
export function recordingEngine(): JobEngine & { sent: JobEvent<unknown>[] } {
  const sent: JobEvent<unknown>[] = [];
  return {
    name: "dbos",
    sent,
    async send<D>(event: JobEvent<D>) {
      sent.push(toJson(event) as JobEvent<unknown>);
      return { runId: `recorded:${event.id ?? sent.length}` };
    },
  };
}

/** The model calls a tool with `input`, billing these tokens. */
export function toolUse(input: unknown, inputTokens = 1_000, outputTokens = 500): FakeReply {
  return {
    kind: "tool_use",
    input,
    usage: { input_tokens: inputTokens, output_tokens: outputTokens },
  };
}

/** The prompt text of a recorded Messages API request (its first user turn). */
export function promptOf(body: { messages: Array<{ content: unknown }> }): string {
  const content = body.messages[0]?.content;
  return typeof content === "string" ? content : JSON.stringify(content);
}

export const requirementsAnswer: RequirementsContent = {
  introduction: "Search lets project members find tickets by their title.",
  requirements: [
    {
      id: "REQ-001",
      title: "Search by title",
      userStory: {
        role: "project member",
        want: "to search tickets by title",
        benefit: "I find the work I am looking for",
      },
      acceptanceCriteria: [
        {
          id: "REQ-001.1",
          text: "WHEN the user submits a query THE SYSTEM SHALL list the tickets whose title contains the query.",
        },
        {
          id: "REQ-001.2",
          text: "IF no ticket matches the query THEN THE SYSTEM SHALL show an empty result message.",
        },
      ],
    },
  ],
};

const task = (key: string, dependsOn: string[], phase: TasksContent["tasks"][number]["phase"]) => ({
  key,
  title: `Task ${key}`,
  description: `Do step ${key}.`,
  phase,
  estimateMinutes: 30,
  files: [`lib/search/step-${key}.ts`],
  dependsOn,
  requirementIds: ["REQ-001"],
});

/** A valid graph: 1 <- 2 <- 3, and 3 also on 1. */
export const validTasks: TasksContent = {
  tasks: [
    task("1", [], "INITIAL"),
    task("2", ["1"], "IMPLEMENTATION"),
    task("3", ["1", "2"], "INTEGRATION"),
  ],
};

/** 1 -> 3 -> 2 -> 1: every task waits on another. */
export const cyclicTasks: TasksContent = {
  tasks: [
    task("1", ["3"], "INITIAL"),
    task("2", ["1"], "IMPLEMENTATION"),
    task("3", ["2"], "INTEGRATION"),
  ],
};

/**
 * Starts a spec on the ticket and runs (offline) and approves every phase before `phase`.
 * Returns the run request for `phase`, not yet run: the spec is in its running state. Events go
 * to whatever job engine is set, so set a recording one.
 */
export async function specRunning(
  db: Db,
  options: { actor: Actor; ticketId: string; phase: SpecPhase },
): Promise<SpecPhaseRequest> {
  const { actor } = options;
  const spec = await startTicketSpec(db, { actor, input: { ticketId: options.ticketId } });
  let request: SpecPhaseRequest = {
    orgId: actor.orgId,
    specId: spec.id,
    phase: "REQUIREMENTS",
    version: 1,
  };
  for (const phase of phaseOrder) {
    if (phase === options.phase) return request;
    await runSpecPhase(db, { request, step: memoSteps(), provider: offlineProvider() });
    const { next } = await approvePhase(db, { actor, input: { specId: spec.id, phase } });
    if (!next) throw new Error(`approving ${phase} queued no next phase`);
    request = next;
  }
  throw new Error(`unknown phase ${options.phase}`);
}
