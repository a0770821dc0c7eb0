/**
 * Tail sampling's decisions: every span is recorded, and which traces are exported is
 * decided once a trace's local root has ended, when all of it is known: a trace with a
 * failed span (on any thread) is kept, so is one that ran longer than a threshold, and a
 * share of the rest. Spans wait here, by trace, for that decision; those that end after it
 * follow it. What waits is bounded: past `maxSpans`, or after `decisionWaitMs` without its
 * root, a trace is decided on what is known of it. Everything is counted.
 */
import { describeValue } from '../../errors';

/** Tail sampling's settings. */
export interface TailSamplingOptions {
  /** The share of traces kept that neither failed nor ran long, 0 to 1. Default 0.01. */
  readonly keepRatio?: number;
  /** A trace whose spans ran this long or longer is kept, ms. Default: none. */
  readonly keepSlowerThanMs?: number;
  /** Spans waiting for their trace's decision, at most; past it the oldest trace is decided at once. Default 100,000. */
  readonly maxSpans?: number;
  /** How long a trace waits for its local root before it is decided without it, ms. Default 30,000. */
  readonly decisionWaitMs?: number;
}

/** What tail sampling did. */
export interface TailSamplingStats {
  readonly tracesKept: number;
  readonly tracesDropped: number;
  readonly spansKept: number;
  readonly spansDropped: number;
  /** Traces decided before their local root ended (too many spans waiting, too long a wait, a flush). */
  readonly decidedEarly: number;
}

/** What a decision needs to know of a span. */
export interface TailSpanView {
  readonly traceId: string;
  /** Whether it ends its trace here: no parent, or a parent in another service. */
  readonly localRoot: boolean;
  readonly failed: boolean;
  readonly durationMs: number;
}

interface PendingTrace {
  readonly releases: Array<() => void>;
  readonly since: number;
  failed: boolean;
  longestMs: number;
}

/** Decisions remembered for spans that end after them; the oldest are forgotten past this. */
const REMEMBERED_DECISIONS = 100_000;

/**
 * Keys in the order they came, oldest first, for maps whose oldest entry goes first. A
 * Map's own iterator cannot serve: V8 leaves a deleted entry's slot empty until the table
 * is rebuilt, and a new iterator walks past every empty slot, so taking the oldest of a
 * Map of 100,000 that keeps losing its oldest costs ~tens of thousands of steps (tail-
 * sampled casts ran at 1 % of head-sampled ones once the remembered decisions filled up).
 * Here each key is added once and taken once; `isCurrent` skips keys since removed.
 */
class ArrivalOrder {
  #keys: string[] = [];
  #head = 0;

  add(key: string): void {
    this.#keys.push(key);
  }

  /** The oldest key `isCurrent` accepts, leaving it in place; those before it are dropped. */
  oldest(isCurrent: (key: string) => boolean): string | undefined {
    while (this.#head < this.#keys.length) {
      const key = this.#keys[this.#head]!;
      if (isCurrent(key)) return key;
      this.#head += 1;
    }
    this.#compact();
    return undefined;
  }

  /** Drops the oldest key (the one `oldest` returned). */
  shift(): void {
    this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#keys.length) this.#compact();
  }

  #compact(): void {
    this.#keys = this.#keys.slice(this.#head);
    this.#head = 0;
  }
}

function ratioOption(value: unknown): number {
  if (value === undefined) return 0.01;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new RangeError(`worker-otp tail sampling: keepRatio must be a number from 0 to 1; got ${describeValue(value)}`);
  return value;
}

function positiveOption(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0)) throw new RangeError(`worker-otp tail sampling: ${field} must be a number > 0; got ${describeValue(value)}`);
  return value;
}

/** Checks tail sampling's options, naming a bad field; returns them with defaults. */
export function resolveTailSamplingOptions(options: TailSamplingOptions): Required<TailSamplingOptions> {
  if (options === null || typeof options !== 'object') throw new TypeError(`worker-otp tail sampling: options must be an object; got ${describeValue(options)}`);
  return {
    keepRatio: ratioOption(options.keepRatio),
    keepSlowerThanMs: positiveOption(options.keepSlowerThanMs, 'keepSlowerThanMs', Infinity),
    maxSpans: positiveOption(options.maxSpans, 'maxSpans', 100_000),
    decisionWaitMs: positiveOption(options.decisionWaitMs, 'decisionWaitMs', 30_000),
  };
}

export class TailDecisions {
  readonly #options: Required<TailSamplingOptions>;
  /** Traces waiting for their decision. */
  readonly #pending = new Map<string, PendingTrace>();
  readonly #pendingOrder = new ArrivalOrder();
  #heldSpans = 0;
  /** Decided traces: kept or not, for spans that end later. */
  readonly #decided = new Map<string, boolean>();
  /** The trace ids of `#decided`, oldest first, in a ring: the oldest decision is forgotten first. */
  readonly #decidedOrder: Array<string | undefined> = [];
  #decidedNext = 0;
  #sweeper: NodeJS.Timeout | undefined;
  #tracesKept = 0;
  #tracesDropped = 0;
  #spansKept = 0;
  #spansDropped = 0;
  #decidedEarly = 0;

  constructor(options: TailSamplingOptions = {}) {
    this.#options = resolveTailSamplingOptions(options);
  }

  get stats(): TailSamplingStats {
    return { tracesKept: this.#tracesKept, tracesDropped: this.#tracesDropped, spansKept: this.#spansKept, spansDropped: this.#spansDropped, decidedEarly: this.#decidedEarly };
  }

  /** An ended span: `release` exports it, now if its trace is decided and kept, or when it is. */
  offer(span: TailSpanView, release: () => void): void {
    const decided = this.#decided.get(span.traceId);
    if (decided !== undefined) {
      this.#settle(decided, [release]);
      return;
    }
    let trace = this.#pending.get(span.traceId);
    if (trace === undefined) {
      this.#pending.set(span.traceId, (trace = { releases: [], since: performance.now(), failed: false, longestMs: 0 }));
      this.#pendingOrder.add(span.traceId);
      this.#sweeper ??= this.#startSweeper();
    }
    trace.releases.push(release);
    this.#heldSpans += 1;
    if (span.failed) trace.failed = true;
    if (span.durationMs > trace.longestMs) trace.longestMs = span.durationMs;
    if (span.localRoot) {
      this.#decide(span.traceId, trace, false);
      return;
    }
    while (this.#heldSpans > this.#options.maxSpans) {
      const oldestId = this.#oldestPending()!;
      this.#pendingOrder.shift();
      this.#decide(oldestId, this.#pending.get(oldestId)!, true);
    }
  }

  #oldestPending(): string | undefined {
    return this.#pendingOrder.oldest((traceId) => this.#pending.has(traceId));
  }

  /** Decides every trace still waiting, on what is known of it (a flush, a shutdown). */
  decideAll(): void {
    for (const [traceId, trace] of [...this.#pending]) this.#decide(traceId, trace, true);
  }

  #decide(traceId: string, trace: PendingTrace, early: boolean): void {
    this.#pending.delete(traceId);
    this.#heldSpans -= trace.releases.length;
    if (early) this.#decidedEarly += 1;
    const keep = trace.failed || trace.longestMs >= this.#options.keepSlowerThanMs || this.#sampled(traceId);
    if (keep) this.#tracesKept += 1;
    else this.#tracesDropped += 1;
    this.#remember(traceId, keep);
    this.#settle(keep, trace.releases);
  }

  #remember(traceId: string, keep: boolean): void {
    const forgotten = this.#decidedOrder[this.#decidedNext];
    if (forgotten !== undefined) this.#decided.delete(forgotten);
    this.#decidedOrder[this.#decidedNext] = traceId;
    this.#decidedNext = (this.#decidedNext + 1) % REMEMBERED_DECISIONS;
    this.#decided.set(traceId, keep);
  }

  #settle(keep: boolean, releases: ReadonlyArray<() => void>): void {
    if (!keep) {
      this.#spansDropped += releases.length;
      return;
    }
    this.#spansKept += releases.length;
    for (const release of releases) release();
  }

  /** The same share for the same trace everywhere: decided by its id, as the trace-id ratio sampler does. */
  #sampled(traceId: string): boolean {
    return Number.parseInt(traceId.slice(-8), 16) / 2 ** 32 < this.#options.keepRatio;
  }

  #startSweeper(): NodeJS.Timeout {
    const timer = setInterval(() => {
      const cutoff = performance.now() - this.#options.decisionWaitMs;
      for (let traceId = this.#oldestPending(); traceId !== undefined; traceId = this.#oldestPending()) {
        const trace = this.#pending.get(traceId)!;
        if (trace.since > cutoff) break;
        this.#pendingOrder.shift();
        this.#decide(traceId, trace, true);
      }
      // Stopped only when idle: most traces are decided as soon as they start, and a timer
      // made and cleared for each of them would cost more than the decision.
      if (this.#pending.size === 0) this.#stopSweeper();
    }, Math.min(1000, this.#options.decisionWaitMs));
    timer.unref();
    return timer;
  }

  #stopSweeper(): void {
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }
}
