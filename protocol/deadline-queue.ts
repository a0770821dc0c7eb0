import { MAX_TIMER_DELAY_MS } from './timeouts';

/** A pending deadline; `cancel` it once the awaited thing has happened. */
export interface Deadline {
  cancel(): void;
}

class Entry implements Deadline {
  cancelled = false;

  constructor(
    readonly at: number,
    readonly onTimeout: () => void,
    readonly lane: Lane,
    readonly queue: DeadlineQueue,
  ) {}

  cancel(): void {
    this.cancelled = true;
    if (this.lane.entries[this.lane.head] === this) this.queue.trim(this.lane);
  }
}

/** The deadlines of one timeout length, in the order they fall due; slots before `head` are emptied. */
interface Lane {
  entries: Array<Entry | undefined>;
  head: number;
}

/**
 * Many timeouts on one timer. A call waits under a timeout that almost never fires, and a
 * Node timer per call costs more than the call's own bookkeeping; here, deadlines of the
 * same length fall due in the order they were set, so each length keeps a FIFO and one
 * unref'd timer is armed for the earliest head. Answered calls leave their lane as soon as
 * they reach its head, so the lanes hold roughly what is in flight.
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
      lane = { entries: [], head: 0 };
      this.#lanes.set(delay, lane);
    }
    const entry = new Entry(performance.now() + delay, onTimeout, lane, this);
    lane.entries.push(entry);
    if (entry.at < this.#timerAt) this.#arm(entry.at);
    return entry;
  }

  /** @internal Drops cancelled entries from the head of a lane. */
  trim(lane: Lane): void {
    while (lane.head < lane.entries.length && lane.entries[lane.head]!.cancelled) lane.entries[lane.head++] = undefined;
    if (lane.head === lane.entries.length) {
      lane.entries = [];
      lane.head = 0;
    } else if (lane.head > 1024 && lane.head * 2 > lane.entries.length) {
      lane.entries = lane.entries.slice(lane.head);
      lane.head = 0;
    }
  }

  #arm(at: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, at - performance.now()));
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = performance.now();
    const due: Entry[] = [];
    let next = Infinity;
    for (const [delay, lane] of this.#lanes) {
      this.trim(lane);
      while (lane.head < lane.entries.length && lane.entries[lane.head]!.at <= now) {
        const entry = lane.entries[lane.head]!;
        lane.entries[lane.head++] = undefined;
        if (!entry.cancelled) due.push(entry);
      }
      this.trim(lane);
      if (lane.head < lane.entries.length) next = Math.min(next, lane.entries[lane.head]!.at);
      else this.#lanes.delete(delay);
    }
    if (next < Infinity) this.#arm(next);
    for (const entry of due) {
      entry.cancelled = true;
      entry.onTimeout();
    }
  }
}
