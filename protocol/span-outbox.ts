/**
 * The contract between the message layer and the span pipeline of a thread: where the
 * spans a message carries come from and go to. Telemetry installs this thread's outbox
 * (its span relay) when it starts; with none installed, tracing is off in this thread and
 * the message path does no span work at all.
 *
 * Kept on `globalThis` under a registered symbol, so every copy of worker-otp's modules
 * in a thread shares it: worker threads run the bundled thread runtime, and application
 * code there may also import the package's main entry.
 */
import type { SpanPacket } from './span-packet';

/** A thread below this one (a worker it talks to), whose spans can be asked for. */
export interface DownstreamLink {
  /** Asks that thread to send every span it holds; settles once they have arrived. */
  requestFlush(timeoutMs: number): Promise<void>;
}

/** A way to the thread above, able to carry spans on their own. */
export interface UpstreamLink {
  sendSpans(spans: SpanPacket): void;
}

/** What the message layer needs of a thread's span pipeline. */
export interface SpanOutbox {
  /** Takes ended spans: this thread's, or arrived from a thread below. */
  accept(spans: SpanPacket): void;
  /** Removes and returns the spans waiting to leave this thread, for a message to carry. */
  take(): SpanPacket | undefined;
  /**
   * As `take`, for a message sent once per request (a reply): the spans only once a
   * batch of them waits, else none (they leave with a later message, or on their own).
   */
  takeBatch(): SpanPacket | undefined;
  /** Registers a thread below; returns the unregistration. */
  addDownstream(link: DownstreamLink): () => void;
  /** Registers a way up for spans no message carried; returns the unregistration. */
  addUpstream(link: UpstreamLink): () => void;
  /** Asks every thread below for its spans and waits, each bounded by `timeoutMs`. */
  flushDownstream(timeoutMs: number): Promise<void>;
}

const KEY = Symbol.for('worker-otp.span-outbox');
const registry = globalThis as { [KEY]?: SpanOutbox | undefined };

/** Installs (or, with `undefined`, removes) this thread's outbox. */
export function setThreadOutbox(outbox: SpanOutbox | undefined): void {
  registry[KEY] = outbox;
}

/** This thread's outbox, or `undefined` when telemetry is off in this thread. */
export function threadOutbox(): SpanOutbox | undefined {
  return registry[KEY];
}

/**
 * Whether telemetry runs in this thread. When it does not, the runtime creates no span
 * and no context object at all on the message path: tracing off costs one check.
 */
export function tracingOn(): boolean {
  return registry[KEY] !== undefined;
}
