import { TraceFlags, context, diag } from '@opentelemetry/api';
import { suppressTracing } from '../../propagation/w3c-propagator';
import { startTimeout } from '../../protocol/timeouts';
import type { ExportStats } from './export-stats';
import { EXPORT_FAILED, EXPORT_SUCCESS, type SdkExportResult, type SdkReadableSpan, type SdkSpanExporter, type SdkSpanProcessor } from '../sdk-types';
import { isEncoded, type EncodedSpans } from '../../protocol/span-packet';
import type { WireSpan } from '../../protocol/span-packet';

/**
 * What waits for export: a span of this thread's SDK, one recorded in wire form, or spans
 * another thread encoded (the last two only for an ItemExporter).
 */
export type ExportItem = SdkReadableSpan | WireSpan | EncodedSpans;

/**
 * An exporter for the queue: any span exporter (given SDK spans only), or one that also
 * takes encoded spans (the OTLP exporter, the only one threads encode for).
 */
export type QueueExporter = SdkSpanExporter | ItemExporter;

export interface ItemExporter {
  readonly acceptsEncoded: true;
  export(items: ExportItem[], resultCallback: (result: SdkExportResult) => void): void;
  shutdown(): Promise<void>;
}

const itemCount = (item: ExportItem) => (isEncoded(item) ? item.count : 1);

/** Export requests at once: two keep a loopback or LAN collector busy while one is answered. */
const MAX_CONCURRENT_EXPORTS = 2;

/** Limits and pacing of the export queue. */
export interface ExportQueueOptions {
  /** Spans held for export; past it, new spans are dropped and counted. */
  readonly maxQueueSize: number;
  /** Spans per export request. */
  readonly maxExportBatchSize: number;
  /** How long a partial batch waits before it is exported, in ms. */
  readonly scheduledDelayMs: number;
  /** How long one export may take before it counts as failed, in ms. */
  readonly exportTimeoutMs: number;
}

/**
 * The main thread's one export pipeline: spans from every thread enter here and leave
 * through one exporter in batches, one request at a time.
 *
 * It does what the SDK's BatchSpanProcessor does, and also counts what it drops and what
 * fails, so a program can report loss instead of hiding it. The telemetry plane never
 * throws into the application: the first failure is reported through `diag`, the rest are
 * counted (see {@link ExportQueue.stats}).
 */
export class ExportQueue implements SdkSpanProcessor {
  readonly #exporter: QueueExporter;
  readonly #options: ExportQueueOptions;
  #queue: ExportItem[] = [];
  /** Spans in `#queue` (an encoded item holds several). */
  #queuedSpans = 0;
  /** Export requests under way; spans wait in the bounded queue until one is done. */
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #shutdown: Promise<void> | undefined;
  #exported = 0;
  #dropped = 0;
  #failed = 0;

  constructor(exporter: QueueExporter, options: ExportQueueOptions) {
    this.#exporter = exporter;
    this.#options = options;
  }

  get stats(): ExportStats {
    return { exportedSpans: this.#exported, droppedSpans: this.#dropped, failedSpans: this.#failed };
  }

  onStart(): void {}

  onEnd(span: SdkReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.enqueue([span]);
  }

  /** Queues ended spans: this thread's, rebuilt from another thread's, or encoded there. */
  enqueue(items: readonly ExportItem[]): void {
    if (this.#shutdown) return;
    for (const item of items) {
      const count = itemCount(item);
      if (this.#queuedSpans + count > this.#options.maxQueueSize) {
        if (this.#dropped === 0) {
          diag.warn(`worker-otp telemetry: export queue full (${this.#options.maxQueueSize} spans); dropping spans until the exporter catches up`);
        }
        this.#dropped += count;
        continue;
      }
      this.#queue.push(item);
      this.#queuedSpans += count;
    }
    if (this.#queuedSpans >= this.#options.maxExportBatchSize) this.#exportNext();
    else if (this.#queuedSpans > 0) this.#scheduleExport();
  }

  /** Exports everything queued so far and waits for it. */
  async forceFlush(): Promise<void> {
    // Bounded: the spans present now, not those that keep arriving during the flush.
    let rounds = Math.ceil(this.#queuedSpans / this.#options.maxExportBatchSize) + this.#queue.length + MAX_CONCURRENT_EXPORTS;
    while ((this.#queue.length > 0 || this.#inFlight.size > 0) && rounds-- > 0) {
      this.#exportNext();
      await Promise.race(this.#inFlight);
    }
  }

  /** Flushes, then shuts the exporter down. Idempotent. */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      await this.forceFlush();
      await this.#exporter.shutdown().catch((error: unknown) => diag.warn('worker-otp telemetry: exporter shutdown failed', error));
    })();
    return this.#shutdown;
  }

  #scheduleExport(): void {
    if (this.#timer !== undefined) return;
    this.#timer = startTimeout(this.#options.scheduledDelayMs, () => {
      this.#timer = undefined;
      this.#exportNext();
    });
  }

  /**
   * Starts an export request with the next batch, unless MAX_CONCURRENT_EXPORTS are under
   * way: spans then wait in the queue (bounded, drops counted) rather than piling up in
   * requests when the collector is slower than the program.
   */
  #exportNext(): void {
    if (this.#inFlight.size >= MAX_CONCURRENT_EXPORTS || this.#queue.length === 0) return;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    let taken = 0;
    let spans = 0;
    while (taken < this.#queue.length && spans < this.#options.maxExportBatchSize) spans += itemCount(this.#queue[taken++]!);
    const batch = this.#queue.splice(0, taken);
    this.#queuedSpans -= spans;
    const request: Promise<void> = this.#exportBatch(batch, spans).finally(() => {
      this.#inFlight.delete(request);
      if (this.#queuedSpans >= this.#options.maxExportBatchSize) this.#exportNext();
      else if (this.#queuedSpans > 0) this.#scheduleExport();
    });
    this.#inFlight.add(request);
  }

  async #exportBatch(batch: ExportItem[], spans: number): Promise<void> {
    const result = await this.#exportWithTimeout(batch);
    if (result.code === EXPORT_SUCCESS) {
      this.#exported += spans;
      return;
    }
    if (this.#failed === 0) {
      diag.warn(
        `worker-otp telemetry: span export failed (${result.error?.message ?? 'unknown error'}); ` +
          'later failures are only counted, see telemetry.stats',
      );
    }
    this.#failed += spans;
  }

  #exportWithTimeout(batch: ExportItem[]): Promise<SdkExportResult> {
    return new Promise<SdkExportResult>((resolve) => {
      const timer = startTimeout(this.#options.exportTimeoutMs, () =>
        resolve({ code: EXPORT_FAILED, error: new Error(`export timed out after ${this.#options.exportTimeoutMs} ms`) }),
      );
      const done = (result: SdkExportResult) => {
        clearTimeout(timer);
        resolve(result);
      };
      // The exporter's own HTTP request must not be traced, or exporting would make spans.
      context.with(suppressTracing(context.active()), () => {
        try {
          // Threads encode spans only for an ItemExporter (see ThreadTelemetryConfig.encodeSpans),
          // so a plain span exporter only ever gets this thread's SDK spans.
          (this.#exporter as ItemExporter).export(batch, done);
        } catch (error) {
          done({ code: EXPORT_FAILED, error: error instanceof Error ? error : new Error(String(error)) });
        }
      });
    });
  }
}
