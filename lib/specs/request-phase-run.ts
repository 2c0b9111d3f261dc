import "server-only";
import { getJobEngine } from "@/lib/jobs/get-job-engine";
import { phaseRunId, type SpecPhaseRequest, specPhaseRequested } from "./phase-event";

/** Enqueues a phase run. Call after the transaction that moved the spec has committed. */
export async function requestPhaseRun(request: SpecPhaseRequest) {
  return getJobEngine().send({ name: specPhaseRequested, data: request, id: phaseRunId(request) });
}
