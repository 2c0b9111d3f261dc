import { db } from "@/lib/db/client";
import { defineJobFunction } from "@/lib/jobs/port";
import { type SpecPhaseRequest, specPhaseRequested } from "@/lib/specs/phase-event";
import { failSpecPhase, runSpecPhase } from "@/lib/specs/run-spec-phase";

const retries = 3;

/** Runs one phase (requirements, design or tasks) of a spec; at most 5 at once per organization. */
export const runSpecPhaseFunction = defineJobFunction<SpecPhaseRequest>(
  {
    id: "run-spec-phase",
    event: specPhaseRequested,
    retries,
    concurrency: { key: (data) => data.orgId, limit: 5 },
  },
  async ({ event, step, attempt }) => {
    try {
      return await runSpecPhase(db(), { request: event.data, step });
    } catch (error) {
      if (attempt < retries) throw error;
      // Out of retries (a database outage, a bug): fail the spec visibly so a person can
      // retry it, rather than leave it "running" forever.
      const reason =
        "An internal error stopped this phase after several tries. Retry it; if it keeps failing, check the server logs.";
      await step.run("fail-after-retries", () => failSpecPhase(db(), event.data, reason));
      return { failed: reason };
    }
  },
);
