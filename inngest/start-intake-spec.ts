import { db } from "@/lib/db/client";
import { type IntakeStartRequest, intakeTicketEnqueued } from "@/lib/intake/intake-event";
import { startIntakeSpec } from "@/lib/intake/start-intake-spec";
import { defineJobFunction } from "@/lib/jobs/port";

/** Opens and starts the spec of a ticket enqueued through the API (POST /api/v1/tasks/enqueue). */
export const startIntakeSpecFunction = defineJobFunction<IntakeStartRequest>(
  { id: "start-intake-spec", event: intakeTicketEnqueued, retries: 3 },
  async ({ event, step }) => step.run("start-spec", () => startIntakeSpec(db(), event.data)),
);
