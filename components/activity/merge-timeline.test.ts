import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "@/lib/activity/timeline-entry";
import { groupByDay, withNewestPage, withOlderPage } from "./merge-timeline";

function entry(seq: number, day = "Today"): TimelineEntry {
  return {
    id: `evt_${seq}`,
    seq: String(seq),
    type: "task.completed",
    family: "task",
    sentence: `Task ${seq} done`,
    href: null,
    at: new Date(0).toISOString(),
    day,
    time: "10:00",
    fullTime: "",
  };
}
const seqs = (entries: TimelineEntry[]) => entries.map((e) => Number(e.seq));
const range = (from: number, to: number) =>
  Array.from({ length: from - to + 1 }, (_, i) => entry(from - i));

describe("withOlderPage", () => {
  it("appends below and moves the cursor, without repeats", () => {
    const state = { entries: range(10, 6), cursor: "6" };
    const next = withOlderPage(state, { entries: [entry(6), ...range(5, 1)], cursor: null });
    expect(seqs(next.entries)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(next.cursor).toBeNull();
  });
});

describe("withNewestPage", () => {
  it("puts new events on top and keeps the older pages and their cursor", () => {
    const state = { entries: range(10, 1), cursor: "1" };
    const next = withNewestPage(state, { entries: range(12, 8), cursor: "8" });
    expect(seqs(next.entries)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(next.cursor).toBe("1");
  });

  it("replaces everything when the new page does not reach what is shown (a gap)", () => {
    const state = { entries: range(10, 1), cursor: "1" };
    const next = withNewestPage(state, { entries: range(80, 31), cursor: "31" });
    expect(seqs(next.entries)).toEqual(seqs(range(80, 31)));
    expect(next.cursor).toBe("31");
  });

  it("takes the page as it is when nothing was shown", () => {
    const page = { entries: range(3, 1), cursor: null };
    expect(withNewestPage({ entries: [], cursor: null }, page)).toEqual(page);
  });
});

describe("groupByDay", () => {
  it("groups consecutive entries by their day label", () => {
    const days = groupByDay([entry(5), entry(4), entry(3, "Yesterday"), entry(2, "Yesterday")]);
    expect(days.map((d) => [d.day, seqs(d.entries)])).toEqual([
      ["Today", [5, 4]],
      ["Yesterday", [3, 2]],
    ]);
  });
});
