import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { duplicateScore, jaccard, titleWords } from "./duplicate-tasks";

describe("duplicate tasks", () => {
  it("flags the same work worded slightly differently", () => {
    expect(
      duplicateScore(
        { title: "Add search to the tickets list", files: ["lib/search/search.ts"] },
        { title: "Adding search for ticket list", files: ["lib/search/search.ts"] },
      ),
    ).toBe(1);
  });

  it("does not flag different work, or the same title on different files", () => {
    expect(
      duplicateScore(
        { title: "Add search to the tickets list", files: [] },
        { title: "Add export to the tickets list", files: [] },
      ),
    ).toBeNull();
    expect(
      duplicateScore(
        { title: "Cover every acceptance criterion with tests", files: ["lib/a/a.test.ts"] },
        { title: "Cover every acceptance criterion with tests", files: ["lib/b/b.test.ts"] },
      ),
    ).toBeNull();
  });

  it("folds plurals and -ing, and drops stop words", () => {
    expect([...titleWords("Writing the Tests for users")]).toEqual(["writ", "test", "user"]);
  });

  it("is symmetric and between 0 and 1", () => {
    const word = fc.constantFrom("add", "search", "ticket", "list", "export", "user", "fix");
    const title = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(" "));
    fc.assert(
      fc.property(title, title, (a, b) => {
        const ab = jaccard(titleWords(a), titleWords(b));
        expect(ab).toBe(jaccard(titleWords(b), titleWords(a)));
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
        expect(duplicateScore({ title: a, files: [] }, { title: a, files: [] })).toBe(1);
      }),
    );
  });
});
