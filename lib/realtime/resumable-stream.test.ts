import { describe, expect, it } from "vitest";
import type { RealtimeEvent } from "./realtime-event";
import { type CatchUpPage, ResumableStream } from "./resumable-stream";

const activity = (seq: number): RealtimeEvent => ({
  seq: String(seq),
  type: "ticket.created",
  orgId: "org_1",
});
const announcement: RealtimeEvent = { type: "task.updated", orgId: "org_1", taskId: "tsk_1" };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup(cursor: string | null) {
  const delivered: RealtimeEvent[] = [];
  const stream = new ResumableStream((event) => delivered.push(event), cursor);
  const seqs = () => delivered.map((e) => e.seq ?? e.type);
  return { stream, seqs };
}

describe("ResumableStream", () => {
  it("drops activity at or below the cursor and passes announcements", () => {
    const { stream, seqs } = setup("5");
    for (const seq of [4, 5, 6, 6, 3, 7]) stream.live(activity(seq));
    stream.live(announcement);
    expect(seqs()).toEqual(["6", "7", "task.updated"]);
    expect(stream.cursor).toBe("7");
  });

  it("holds live events during a catch-up and delivers them after it, without repeats", async () => {
    const { stream, seqs } = setup("10");
    const page = deferred<CatchUpPage>();
    const reads: (string | null)[] = [];
    const done = stream.catchUp((after) => {
      reads.push(after);
      return page.promise;
    });
    stream.live(activity(12)); // committed during the read: the read may see it too
    stream.live(activity(13));
    stream.live(announcement);
    expect(seqs()).toEqual([]);
    page.resolve({ events: [activity(11), activity(12)] });
    await done;
    expect(reads).toEqual(["10"]);
    expect(seqs()).toEqual(["11", "12", "13", "task.updated"]);
  });

  it("folds catch-ups asked for during one into one more read from the new cursor", async () => {
    const { stream, seqs } = setup("1");
    const first = deferred<CatchUpPage>();
    const reads: (string | null)[] = [];
    const pages = [first.promise, Promise.resolve({ events: [activity(4)] })];
    const read = (after: string | null) => {
      reads.push(after);
      return pages.shift() ?? Promise.resolve({ events: [] });
    };
    const one = stream.catchUp(read);
    const two = stream.catchUp(read);
    const three = stream.catchUp(read);
    first.resolve({ events: [activity(2), activity(3)] });
    await Promise.all([one, two, three]);
    expect(reads).toEqual(["1", "3"]);
    expect(seqs()).toEqual(["2", "3", "4"]);
  });

  it("keeps live events waiting when a catch-up fails, until one succeeds", async () => {
    const { stream, seqs } = setup("1");
    const failing = stream.catchUp(() => Promise.reject(new Error("database down")));
    stream.live(activity(5));
    await expect(failing).rejects.toThrow("database down");
    // Delivering 5 now would skip whatever 2..4 the failed read would have returned.
    expect(seqs()).toEqual([]);
    await stream.catchUp(async () => ({ events: [activity(3)] }));
    expect(seqs()).toEqual(["3", "5"]);
  });

  it("moves the cursor to where a read skipped to (a reset, or the latest seq)", async () => {
    const { stream, seqs } = setup(null);
    await stream.catchUp(async () => ({ events: [], cursor: "40" }));
    stream.live(activity(39));
    stream.live(activity(41));
    expect(seqs()).toEqual(["41"]);
  });
});
