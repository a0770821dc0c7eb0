import { diag } from '../../propagation/opentelemetry';
import type { DownstreamLink, SpanOutbox, UpstreamLink } from '../../protocol/span-outbox';
import { isEncoded, isPacked, joinEncoded, markOfPacket, packSpan, unpackSpan, type EncodedSpans, type SpanPacket, type WireSpan } from '../../protocol/span-packet';

/** How a relay is set up. */
export interface SpanRelayOptions {
  /**
   * Where spans end up in the thread that exports them (the main thread). Without it,
   * the relay holds spans for the thread above.
   */
  readonly deliver?: (spans: DeliveredSpans) => void;
  /** Spans held for the thread above before new ones are dropped (and counted). */
  readonly maxPending?: number;
  /** How long spans wait for a reply to ride on before they are sent on their own. */
  readonly sendDelayMs?: number;
  /** Encodes this thread's spans as OTLP `ScopeSpans` before they leave (with the OTLP exporter). */
  readonly encode?: (spans: readonly WireSpan[]) => string;
  /** Spans that wait before a reply carries them (`takeBatch`); 1: every reply carries what there is. */
  readonly rideBatch?: number;
}

/** What reaches the exporting thread's pipeline: spans as objects, or encoded by the threads that recorded them. */
export type DeliveredSpans = readonly WireSpan[] | EncodedSpans;

/** Spans a thread holds for the thread above before new ones are dropped. */
export const DEFAULT_MAX_PENDING = 4096;
/** How long spans wait for a message to ride on, in ms. */
export const DEFAULT_SEND_DELAY_MS = 200;
/**
 * Spans a worker gathers before a reply carries them, when nothing in the main thread
 * reads spans as they arrive (the OTLP exporter with head sampling): a reply that carries
 * one encoded span costs both threads ~2 µs more than one that carries none (encoding one
 * span alone, cloning the packet), and a batch of 64 is encoded for about half as much
 * per span. The rest of the time spans wait at most `sendDelayMs`.
 */
export const EXPORT_RIDE_BATCH = 64;
/** Past this many pending spans, they are sent at once rather than after the delay. */
const SEND_NOW_THRESHOLD = 256;

/**
 * Moves ended spans from the thread that recorded them towards the one thread that
 * exports them, hop by hop: a worker holds its spans (and those that arrive from its own
 * workers) until a message to its parent can carry them, or sends them on their own
 * after a short delay; the main thread delivers them to its export pipeline.
 *
 * Spans ride on replies (see `take`) so that they arrive before the reply that ends the
 * caller's span, on the same channel, in order: the application's own flush, and a tail
 * sampling decision made when the caller's span ends, see them. Where nothing needs that,
 * replies carry them in batches (`rideBatch`).
 */
export class SpanRelay implements SpanOutbox {
  readonly #deliver: ((spans: DeliveredSpans) => void) | undefined;
  readonly #maxPending: number;
  readonly #sendDelayMs: number;
  readonly #encode: ((spans: readonly WireSpan[]) => string) | undefined;
  readonly #rideBatch: number;
  readonly #downstream = new Set<DownstreamLink>();
  readonly #upstream: UpstreamLink[] = [];
  #pending: WireSpan[] = [];
  /** Packets threads below encoded, waiting with `#pending`. */
  #pendingEncoded: EncodedSpans[] = [];
  #pendingCount = 0;
  #timer: NodeJS.Timeout | undefined;
  #dropped = 0;

  constructor(options: SpanRelayOptions = {}) {
    this.#deliver = options.deliver;
    this.#maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.#sendDelayMs = options.sendDelayMs ?? DEFAULT_SEND_DELAY_MS;
    this.#encode = options.encode;
    this.#rideBatch = options.rideBatch ?? 1;
  }

  /** Spans dropped because the thread above did not take them fast enough. */
  get droppedSpans(): number {
    return this.#dropped;
  }

  /** Takes ended spans, recorded here or arrived from a thread below. */
  accept(packet: SpanPacket): void {
    let spans = isPacked(packet) ? packet.packed.map(unpackSpan) : packet;
    const size = isEncoded(spans) ? spans.count : spans.length;
    if (size === 0) return;
    if (this.#deliver) {
      this.#deliver(spans);
      return;
    }
    if (this.#pendingCount + size > this.#maxPending) {
      if (this.#dropped === 0) {
        diag.warn(`worker-otp: more than ${this.#maxPending} spans waiting to leave this thread; dropping new ones`);
      }
      // An encoded packet cannot be split: it is dropped whole.
      const kept = isEncoded(spans) ? 0 : Math.max(this.#maxPending - this.#pendingCount, 0);
      this.#dropped += size - kept;
      if (kept === 0) return;
      spans = (spans as readonly WireSpan[]).slice(0, kept);
    }
    if (isEncoded(spans)) {
      this.#pendingEncoded.push(spans);
      this.#pendingCount += spans.count;
    } else {
      for (const span of spans) this.#pending.push(span);
      this.#pendingCount += spans.length;
    }
    this.#schedule();
  }

  /** Removes and returns the spans waiting to leave this thread, for a message to carry. */
  take(): SpanPacket | undefined {
    if (this.#pendingCount === 0) return undefined;
    const spans = this.#pending;
    const encoded = this.#pendingEncoded;
    this.#pending = [];
    this.#pendingEncoded = [];
    this.#pendingCount = 0;
    if (this.#encode === undefined) return { packed: spans.map(packSpan) };
    if (spans.length > 0) encoded.push({ otlp: this.#encode(spans), count: spans.length, mark: markOfPacket(spans)! });
    return joinEncoded(encoded);
  }

  /** Removes and returns the waiting spans once `rideBatch` of them wait, for a reply to carry. */
  takeBatch(): SpanPacket | undefined {
    return this.#pendingCount >= this.#rideBatch ? this.take() : undefined;
  }

  /** Registers a thread below, flushed by `flushDownstream`. Returns the unregistration. */
  addDownstream(link: DownstreamLink): () => void {
    this.#downstream.add(link);
    return () => this.#downstream.delete(link);
  }

  /** Registers a way up for spans no reply carried. Returns the unregistration. */
  addUpstream(link: UpstreamLink): () => void {
    this.#upstream.push(link);
    this.#schedule();
    return () => {
      const index = this.#upstream.indexOf(link);
      if (index >= 0) this.#upstream.splice(index, 1);
    };
  }

  /** Asks every thread below for its spans and waits, each bounded by `timeoutMs`. */
  async flushDownstream(timeoutMs: number): Promise<void> {
    await Promise.all([...this.#downstream].map((link) => link.requestFlush(timeoutMs)));
  }

  /** Sends what is pending to the thread above now, if there is a way up. */
  sendPending(): void {
    this.#clearTimer();
    const link = this.#upstream[0];
    if (link === undefined) return;
    const spans = this.take();
    if (spans) link.sendSpans(spans);
  }

  #schedule(): void {
    if (this.#pendingCount === 0 || this.#upstream.length === 0) return;
    if (this.#pendingCount >= SEND_NOW_THRESHOLD) {
      this.sendPending();
      return;
    }
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.sendPending();
      }, this.#sendDelayMs);
      // A thread with nothing else to do may end; its host sends what is pending first.
      this.#timer.unref();
    }
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
}
