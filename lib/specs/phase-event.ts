import type { SpecPhase } from "@/lib/generated/prisma/enums";

/** The event that asks for one phase of one spec to produce one artifact version. */
export const specPhaseRequested = "spec/phase.requested";

export interface SpecPhaseRequest {
  orgId: string;
  specId: string;
  phase: SpecPhase;
  /** The artifact version this run produces; part of the event id, so a duplicate send starts one run. */
  version: number;
}

/** Deterministic id: the same phase version is requested at most once. */
export function phaseRunId(request: SpecPhaseRequest): string {
  return `${request.specId}:${request.phase}:v${request.version}`;
}
