import { db } from "@/lib/db/client";
import { defineJobFunction } from "@/lib/jobs/port";
import { type SpecPhaseRequest, specPhaseRequested } from "@/lib/specs/phase-event";
import { runSpecPhase } from "@/lib/specs/run-spec-phase";

/** Runs one phase (requirements, design or tasks) of a spec; at most 5 at once per organization. */
export const runSpecPhaseFunction = defineJobFunction<SpecPhaseRequest>(
  {
    id: "run-spec-phase",
    event: specPhaseRequested,
    retries: 3,
    concurrency: { key: (data) => data.orgId, limit: 5 },
  },
  ({ event, step }) => runSpecPhase(db(), { request: event.data, step }),
);
