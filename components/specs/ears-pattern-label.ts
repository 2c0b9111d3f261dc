import type { EarsPattern } from "@/lib/specs/ears";

/** How the requirements view names each EARS pattern beside a criterion. */
export const earsPatternLabel: Record<EarsPattern, string> = {
  UBIQUITOUS: "ubiquitous",
  EVENT_DRIVEN: "event-driven",
  STATE_DRIVEN: "state-driven",
  UNWANTED: "unwanted behaviour",
  OPTIONAL: "optional feature",
  COMPLEX: "complex",
};
