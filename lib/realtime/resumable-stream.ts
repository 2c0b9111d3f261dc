// Exactly-once, in-order delivery over a live feed that can drop out: shared by the SSE route
// (server) and the Pusher client (browser). No database, no server-only imports.
import { type RealtimeEvent, seqAfter } from "./realtime-event";

/** What a catch-up read from the table returns. */
export interface CatchUpPage {
  /** Activity events after the cursor it was given, in seq order. */
  events: RealtimeEvent[];
  /** Where the stream continues after these (e.g. the latest seq, when the read skipped ahead). */
  cursor?: string | null;
}

/**
 * Delivers one organization's events exactly once and in seq order. Activity events at or
 * below the cursor are dropped (already delivered, or replayed by a catch-up); while a
 * catch-up read runs, live events wait and follow it. Announcements (no seq) always pass.
 * Relies on seq being commit-ordered per organization (migration realtime_notify), so a live
 * feed that delivers in commit order never goes backwards.
 */
export class ResumableStream {
  #cursor: string | null;
  #waiting: RealtimeEvent[] | null = null;
  #again = false;
  #running: Promise<void> | null = null;
  readonly #deliver: (event: RealtimeEvent) => void;

  constructor(deliver: (event: RealtimeEvent) => void, cursor: string | null) {
    this.#deliver = deliver;
    this.#cursor = cursor;
  }

  /** The seq of the last activity event delivered (or skipped to). */
  get cursor(): string | null {
    return this.#cursor;
  }

  /** An event from the live feed. */
  live(event: RealtimeEvent): void {
    if (this.#waiting) this.#waiting.push(event);
    else this.#emit(event);
  }

  /**
   * Reads what the live feed may have missed (after the cursor) and delivers it before any
   * live event that arrives meanwhile. Calls made while one runs fold into one more read.
   */
  catchUp(read: (after: string | null) => Promise<CatchUpPage>): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#waiting ??= [];
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          const page = await read(this.#cursor);
          for (const event of page.events) this.#emit(event);
          if (page.cursor != null && seqAfter(page.cursor, this.#cursor))
            this.#cursor = page.cursor;
        } while (this.#again);
        const waiting = this.#waiting ?? [];
        this.#waiting = null;
        for (const event of waiting) this.#emit(event);
      } finally {
        // A failed read leaves live events waiting (delivering them would skip what it missed)
        // until a later catch-up succeeds.
        this.#running = null;
      }
    })();
    return this.#running;
  }

  #emit(event: RealtimeEvent): void {
    if (event.seq !== undefined) {
      if (!seqAfter(event.seq, this.#cursor)) return;
      this.#cursor = event.seq;
    }
    this.#deliver(event);
  }
}
