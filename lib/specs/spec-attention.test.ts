import { describe, expect, it } from "vitest";
import { shownSpecState } from "./spec-attention";

describe("shownSpecState", () => {
  it("shows an execution held by a failed task as needing attention", () => {
    expect(shownSpecState("EXECUTING", 1)).toBe("NEEDS_ATTENTION");
    expect(shownSpecState("VERIFYING", 2)).toBe("NEEDS_ATTENTION");
  });

  it("keeps the stored state otherwise", () => {
    expect(shownSpecState("EXECUTING", 0)).toBe("EXECUTING");
    // A cancelled or finished spec is not waiting for anyone, whatever its tasks did.
    expect(shownSpecState("CANCELLED", 1)).toBe("CANCELLED");
    expect(shownSpecState("TASKS_REVIEW", 1)).toBe("TASKS_REVIEW");
  });
});
