import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { neighboursAt, placeBetween, rankBetween, rankDirection, rankStep } from "./rank";

describe("rankBetween", () => {
  it("takes the midpoint, or a step past an end", () => {
    expect(rankBetween(1, 3)).toBe(2);
    expect(rankBetween(null, 5)).toBe(5 - rankStep);
    expect(rankBetween(5, null)).toBe(5 + rankStep);
    expect(rankBetween(null, null)).toBe(0);
  });

  it("has no answer for equal or reversed neighbours", () => {
    expect(rankBetween(2, 2)).toBeNull();
    expect(rankBetween(3, 1)).toBeNull();
  });

  it("always lands strictly between distinct neighbours, or says there is no room", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          const r = rankBetween(lo, hi);
          if (r === null) return lo === hi || !(lo + (hi - lo) / 2 > lo && lo + (hi - lo) / 2 < hi);
          return r > lo && r < hi;
        },
      ),
    );
  });

  it("keeps bisecting the same gap for a long time", () => {
    let above = 0;
    const below = rankStep;
    let count = 0;
    for (;;) {
      const r = rankBetween(above, below);
      if (r === null) break;
      above = r;
      count++;
    }
    expect(count).toBeGreaterThan(40);
  });
});

describe("rankDirection", () => {
  it("calls a lower rank up", () => {
    expect(rankDirection(10, 5)).toBe("up");
    expect(rankDirection(5, 10)).toBe("down");
  });
});

describe("neighboursAt and placeBetween", () => {
  const order = ["a", "b", "c", "d"];
  const items = order.map((id) => ({ id }));

  it("finds the neighbours of a task moved down, up, to the top and to the bottom", () => {
    expect(neighboursAt(order, "a", 2)).toEqual({ aboveId: "c", belowId: "d" });
    expect(neighboursAt(order, "d", 1)).toEqual({ aboveId: "a", belowId: "b" });
    expect(neighboursAt(order, "c", 0)).toEqual({ aboveId: null, belowId: "a" });
    expect(neighboursAt(order, "a", 3)).toEqual({ aboveId: "d", belowId: null });
  });

  it("matches moving the item in the array (any move, any list)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 12 }),
        fc.nat(),
        fc.nat(),
        (ids, i, j) => {
          const from = i % ids.length;
          const to = j % ids.length;
          const id = ids[from]!;
          const expected = [...ids];
          expected.splice(from, 1);
          expected.splice(to, 0, id);
          const placed = placeBetween(
            ids.map((x) => ({ id: x })),
            id,
            neighboursAt(ids, id, to),
          ).map((x) => x.id);
          return JSON.stringify(placed) === JSON.stringify(expected);
        },
      ),
    );
  });

  it("leaves the order alone for an unknown neighbour", () => {
    expect(placeBetween(items, "a", { aboveId: "zz", belowId: null })).toEqual(items);
    expect(placeBetween(items, "a", { aboveId: null, belowId: "zz" })).toEqual(items);
  });
});
