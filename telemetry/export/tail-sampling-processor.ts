import type { Context, HrTime } from '@opentelemetry/api';
import type { WireSpan } from '../../protocol/span-packet';
import type { SdkReadableSpan, SdkSpanProcessor } from '../sdk-types';
import { TailDecisions, type TailSamplingOptions, type TailSamplingStats, type TailSpanView } from './tail-decisions';

/** SpanStatusCode.ERROR. */
const STATUS_ERROR = 2;

const millis = (time: HrTime) => time[0] * 1e3 + time[1] / 1e6;

/** What tail sampling needs of an SDK span (a span of the application's SDK, or a worker span rebuilt as one). */
export function viewOfReadableSpan(span: SdkReadableSpan): TailSpanView {
  const parent = span.parentSpanContext ?? (span as { parentSpanId?: string }).parentSpanId;
  const remoteParent = typeof parent === 'object' && parent.isRemote === true;
  return { traceId: span.spanContext().traceId, localRoot: parent === undefined || remoteParent, failed: span.status.code === STATUS_ERROR, durationMs: millis(span.duration) };
}

/** What tail sampling needs of a span in wire form. */
export function viewOfWireSpan(span: WireSpan): TailSpanView {
  return {
    traceId: span.context.traceId,
    localRoot: span.parent === undefined || span.parent.isRemote === true,
    failed: span.status.code === STATUS_ERROR,
    durationMs: millis(span.endTime) - millis(span.startTime),
  };
}

/**
 * Tail sampling as a span processor: wrap the processor that exports (a batch span
 * processor, worker-otp's own queue) and add it to the tracer provider in its place. Every
 * span is recorded (use the `always_on` sampler); once a trace's local root ends, the whole
 * trace (from every worker thread) goes on to the wrapped processor if any span failed, if
 * it ran longer than `keepSlowerThanMs`, or for `keepRatio` of the rest; the others are
 * released unexported. See {@link TailSamplingOptions} for the bounds.
 *
 * ```ts
 * new NodeSDK({ sampler: new AlwaysOnSampler(), spanProcessors: [new TailSamplingSpanProcessor(new BatchSpanProcessor(exporter), { keepRatio: 0.01 })] });
 * ```
 */
export class TailSamplingSpanProcessor implements SdkSpanProcessor {
  readonly #delegate: SdkSpanProcessor;
  readonly #decisions: TailDecisions;

  constructor(delegate: SdkSpanProcessor, options: TailSamplingOptions = {}) {
    this.#delegate = delegate;
    this.#decisions = new TailDecisions(options);
  }

  /** What it kept and dropped so far. */
  get stats(): TailSamplingStats {
    return this.#decisions.stats;
  }

  onStart(span: SdkReadableSpan, parentContext: Context): void {
    this.#delegate.onStart(span, parentContext);
  }

  onEnd(span: SdkReadableSpan): void {
    this.#decisions.offer(viewOfReadableSpan(span), () => this.#delegate.onEnd(span));
  }

  /** @internal A span in wire form (worker-otp's own pipeline): `release` exports it if its trace is kept. */
  admit(span: WireSpan, release: () => void): void {
    this.#decisions.offer(viewOfWireSpan(span), release);
  }

  /** Decides the traces still waiting on what is known of them, then flushes the wrapped processor. */
  async forceFlush(): Promise<void> {
    this.#decisions.decideAll();
    await this.#delegate.forceFlush();
  }

  async shutdown(): Promise<void> {
    this.#decisions.decideAll();
    await this.#delegate.shutdown();
  }
}
