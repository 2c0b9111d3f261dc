import { describe, expect, it } from "vitest";
import { formatRelative } from "./format-relative";

describe("formatRelative", () => {
  const now = new Date("2026-01-10T12:00:00Z");
  it("says just now under a minute", () => {
    expect(formatRelative(new Date("2026-01-10T11:59:30Z"), now)).toBe("just now");
  });
  it("uses the largest whole unit", () => {
    expect(formatRelative(new Date("2026-01-10T09:00:00Z"), now)).toBe("3 hr. ago");
    expect(formatRelative(new Date("2026-01-09T12:00:00Z"), now)).toBe("yesterday");
  });
});
