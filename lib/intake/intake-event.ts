import type { Actor } from "@/lib/orgs/roles";

/** Sent after an enqueued ticket commits: its spec pipeline starts (inngest/start-intake-spec.ts). */
export const intakeTicketEnqueued = "intake/ticket.enqueued";

export interface IntakeStartRequest {
  ticketId: string;
  /** The API key's actor that enqueued it: the spec is opened and started in its name. */
  actor: Actor;
}

/** Deterministic: every send for one ticket (the first and each idempotent replay) starts one run. */
export function intakeStartId(ticketId: string): string {
  return `intake-start:${ticketId}`;
}
