import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withIndefiniteArticle } from "./indefinite-article";
import {
  isCanonicalRef,
  markdownRefToId,
  parseRequirementRef,
  refToMarkdown,
  requirementIdFromNumber,
  requirementIdOf,
} from "./requirement-refs";

describe("requirement references", () => {
  it("map requirement and criterion ids to Markdown numbers and back", () => {
    expect(requirementIdFromNumber(7)).toBe("REQ-007");
    expect(requirementIdFromNumber(1234)).toBe("REQ-1234");
    expect(refToMarkdown("REQ-001.2")).toBe("1.2");
    expect(refToMarkdown("REQ-010")).toBe("10");
    expect(markdownRefToId("1.2")).toBe("REQ-001.2");
    expect(markdownRefToId(" 3 ")).toBe("REQ-003");
    expect(markdownRefToId("0")).toBeNull();
    expect(markdownRefToId("1.0")).toBeNull();
    expect(markdownRefToId("1.2.3")).toBeNull();
    expect(requirementIdOf("REQ-001.2")).toBe("REQ-001");
    expect(parseRequirementRef("REQ-001")).toEqual({ requirement: 1, criterion: null });
    expect(parseRequirementRef("REQ-1")).toBeNull();
  });

  it("round-trip every canonical reference, and flag the rest", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999 }),
        fc.option(fc.integer({ min: 1, max: 99 })),
        (n, m) => {
          const id = requirementIdFromNumber(n) + (m === null ? "" : `.${m}`);
          expect(isCanonicalRef(id)).toBe(true);
          expect(markdownRefToId(refToMarkdown(id)!)).toBe(id);
        },
      ),
    );
    expect(isCanonicalRef("REQ-0001")).toBe(false);
    expect(isCanonicalRef("REQ-001.01")).toBe(false);
  });
});

describe("withIndefiniteArticle", () => {
  it.each([
    ["user", "a user"],
    ["administrator", "an administrator"],
    ["engineer", "an engineer"],
    ["update", "an update"],
    ["unit owner", "a unit owner"],
    ["project lead", "a project lead"],
    ["hour", "an hour"],
  ])("%s -> %s", (noun, expected) => {
    expect(withIndefiniteArticle(noun)).toBe(expected);
  });
});
