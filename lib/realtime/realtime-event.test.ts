import { describe, expect, it } from "vitest";
import {
  matchesFilter,
  orgIdFromPusherChannel,
  pusherChannelName,
  type RealtimeEvent,
  seqAfter,
} from "./realtime-event";

const log: RealtimeEvent = { type: "run.log", orgId: "org_1", runId: "run_1", taskId: "tsk_1" };
const moved: RealtimeEvent = { type: "task.moved", orgId: "org_1", seq: "9", taskId: "tsk_2" };

describe("realtime events", () => {
  it("compares seqs as numbers, beyond 2^53", () => {
    expect(seqAfter("10", "9")).toBe(true);
    expect(seqAfter("9", "10")).toBe(false);
    expect(seqAfter("9007199254740993", "9007199254740992")).toBe(true);
    expect(seqAfter("1", null)).toBe(true);
  });

  it("filters by exact type, type prefix, ids, or a predicate", () => {
    expect(matchesFilter(log, { type: "run.log" })).toBe(true);
    expect(matchesFilter(log, { type: "run." })).toBe(true);
    expect(matchesFilter(log, { type: "run" })).toBe(false);
    expect(matchesFilter(moved, { type: ["run.log", "task."] })).toBe(true);
    expect(matchesFilter(log, { type: "run.log", taskId: "tsk_1" })).toBe(true);
    expect(matchesFilter(log, { type: "run.log", taskId: "tsk_2" })).toBe(false);
    expect(matchesFilter(moved, {})).toBe(true);
    expect(matchesFilter(moved, (e) => e.seq === "9")).toBe(true);
  });

  it("names an organization's private channel and reads it back", () => {
    expect(pusherChannelName("org_01abc")).toBe("private-org-org_01abc");
    expect(orgIdFromPusherChannel("private-org-org_01abc")).toBe("org_01abc");
    expect(orgIdFromPusherChannel("private-org-")).toBeNull();
    expect(orgIdFromPusherChannel("presence-org-org_1")).toBeNull();
    expect(orgIdFromPusherChannel("private-org-a:b")).toBeNull();
  });
});
