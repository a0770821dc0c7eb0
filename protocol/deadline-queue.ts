import { MAX_TIMER_DELAY_MS } from './timeouts';

/** A pending deadline; `cancel` it once the awaited thing has happened. */
export interface Deadline {
  cancel(): void;
}

class Entry implements Deadline {
  /** Dropped on cancel, so a cancelled entry waiting in its lane holds nothing of its call. */
  onTimeout: (() => void) | undefined;

  constructor(
    readonly at: number,
    onTimeout: () => void,
    readonly lane: Lane,
    readonly queue: DeadlineQueue,
  ) {
    this.onTimeout = onTimeout;
  }

  cancel(): void {
    if (this.onTimeout === undefined) return;
    this.onTimeout = undefined;
    this.lane.cancelled += 1;
    this.queue.tidy(this.lane);
  }
}

/**
 * The deadlines of one timeout length, in the order they fall due; slots before `head`
 * are emptied. `cancelled` counts the cancelled entries from `head` on.
 */
interface Lane {
  readonly delay: number;
  entries: Array<Entry | undefined>;
  head: number;
  cancelled: number;
}

/** Past this many lanes, an empty lane is dropped at once rather than kept for reuse. */
const KEPT_LANES = 16;
/**
 * The longest the timer sleeps. A deadline set earlier than the armed one must re-arm the
 * timer (~1 µs); with many distinct timeouts that happened on about every call. Waking at
 * least this often, a deadline further away than this never re-arms it.
 */
const MAX_SLEEP_MS = 1000;

/**
 * Many timeouts on one timer. A call waits under a timeout that almost never fires, and a
 * Node timer per call costs more than the call's own bookkeeping; here, deadlines of the
 * same length fall due in the order they were set, so each length keeps a FIFO and one
 * unref'd timer is armed for the earliest head. A cancelled entry leaves its lane when it
 * reaches the head, or when cancelled entries make up half the lane (a call parked for
 * minutes must not keep the calls after it): the lanes hold about what is in flight.
 */
export class DeadlineQueue {
  readonly #lanes = new Map<number, Lane>();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;

  /** Runs `onTimeout` after `timeoutMs` unless cancelled first; `Infinity` sets nothing. */
  add(timeoutMs: number, onTimeout: () => void): Deadline | undefined {
    if (timeoutMs === Infinity) return undefined;
    const delay = Math.min(timeoutMs, MAX_TIMER_DELAY_MS);
    let lane = this.#lanes.get(delay);
    if (lane === undefined) {
      lane = { delay, entries: [], head: 0, cancelled: 0 };
      this.#lanes.set(delay, lane);
    }
    const entry = new Entry(performance.now() + delay, onTimeout, lane, this);
    lane.entries.push(entry);
    if (entry.at < this.#timerAt) this.#arm(entry.at);
    return entry;
  }

  /** @internal Drops cancelled entries from the head of a lane, and compacts one that is half cancelled. */
  tidy(lane: Lane): void {
    const { entries } = lane;
    while (lane.head < entries.length && entries[lane.head]!.onTimeout === undefined) {
      entries[lane.head++] = undefined;
      lane.cancelled -= 1;
    }
    const live = entries.length - lane.head;
    if (live === 0) {
      if (this.#lanes.size > KEPT_LANES) this.#lanes.delete(lane.delay);
      lane.entries = [];
      lane.head = 0;
    } else if (lane.cancelled > 64 && lane.cancelled * 2 > live) {
      lane.entries = entries.filter((entry, index) => index >= lane.head && entry!.onTimeout !== undefined);
      lane.head = 0;
      lane.cancelled = 0;
    } else if (lane.head > 1024 && lane.head * 2 > entries.length) {
      lane.entries = entries.slice(lane.head);
      lane.head = 0;
    }
  }

  #arm(at: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    const wake = Math.min(at, performance.now() + MAX_SLEEP_MS);
    this.#timerAt = wake;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, wake - performance.now()));
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = performance.now();
    const due: Array<{ at: number; onTimeout: () => void }> = [];
    let next = Infinity;
    for (const [delay, lane] of this.#lanes) {
      const { entries } = lane;
      while (lane.head < entries.length && entries[lane.head]!.at <= now) {
        const entry = entries[lane.head]!;
        entries[lane.head++] = undefined;
        if (entry.onTimeout === undefined) lane.cancelled -= 1;
        else {
          due.push({ at: entry.at, onTimeout: entry.onTimeout });
          entry.onTimeout = undefined;
        }
      }
      this.tidy(lane);
      if (lane.head < lane.entries.length) next = Math.min(next, lane.entries[lane.head]!.at);
      else this.#lanes.delete(delay);
    }
    if (next < Infinity) this.#arm(next);
    // Lanes fall due together when the timer wakes late: still in deadline order.
    if (due.length > 1) due.sort((a, b) => a.at - b.at);
    for (const { onTimeout } of due) onTimeout();
  }
}
