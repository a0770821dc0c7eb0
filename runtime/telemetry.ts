import { isMainThread, setEnvironmentData, threadId } from 'node:worker_threads';
import { defaultResource, detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { TelemetryAlreadyStartedError } from '../errors';
import { setThreadOutbox } from '../protocol/span-outbox';
import { isEncoded } from '../protocol/span-packet';
import { ExportQueue, type ExportStats, type QueueExporter } from '../telemetry/export/export-queue';
import { MemorySpanStore } from '../telemetry/export/memory-span-store';
import { OtlpSpanExporter } from '../telemetry/export/otlp-exporter';
import { fromWireSpan } from '../telemetry/export/readable-span';
import { installGlobalTelemetry } from '../telemetry/record/install-globals';
import { setRuntimeTracerProvider } from '../telemetry/record/runtime-tracer';
import { buildSampler } from './sdk-sampler';
import { createClockAnchor } from '../telemetry/record/shared-clock';
import { ThreadStampProcessor } from './thread-stamp-processor';
import { WireTracerProvider } from '../telemetry/record/wire-tracer';
import { SpanRelay } from '../telemetry/relay/span-relay';
import { THREAD_TELEMETRY_KEY, type ThreadTelemetryConfig } from '../telemetry/thread-config';
import { resolveTelemetryOptions, type ResolvedTelemetryOptions, type TelemetryOptions } from './telemetry-options';

/** What telemetry has lost or delivered so far; the goal is no loss. */
export interface TelemetryStats extends ExportStats {
  /** Spans the memory exporter pushed out to stay within `memorySpanLimit`. */
  readonly evictedSpans: number;
}

let active: Telemetry | undefined;

/** `thread.name` of the main thread's spans. */
const MAIN_THREAD_NAME = 'main';

/**
 * The running telemetry of this process: one tracer provider in the main thread, the
 * settings every worker thread copies, and the one export pipeline all spans leave by.
 * Create it with {@link startTelemetry}.
 */
export class Telemetry {
  /** The settings in force. */
  readonly options: ResolvedTelemetryOptions;
  /** The resource every exported span carries, whichever thread recorded it. */
  readonly resource: Resource;
  readonly #provider: BasicTracerProvider;
  readonly #queue: ExportQueue | undefined;
  readonly #memory: MemorySpanStore | undefined;
  readonly #relay: SpanRelay;
  readonly #uninstall: () => void;
  #shutdown: Promise<void> | undefined;

  /** @internal Use {@link startTelemetry}. */
  constructor(options: ResolvedTelemetryOptions) {
    this.options = options;
    this.resource = defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(
        resourceFromAttributes({
          ...options.resourceAttributes,
          ...(options.serviceName ? { 'service.name': options.serviceName } : {}),
        }),
      );
    this.#memory = options.exporter === 'memory' ? new MemorySpanStore(options.memorySpanLimit) : undefined;
    const exporter = this.#createExporter();
    this.#queue = exporter
      ? new ExportQueue(exporter, {
          maxQueueSize: options.maxQueueSize,
          maxExportBatchSize: options.maxExportBatchSize,
          scheduledDelayMs: options.scheduledDelayMs,
          exportTimeoutMs: options.exportTimeoutMs,
        })
      : undefined;
    const clock = createClockAnchor();
    const processors: SpanProcessor[] = [new ThreadStampProcessor(clock, { id: threadId, name: MAIN_THREAD_NAME })];
    if (this.#queue) processors.push(this.#queue);
    this.#provider = new BasicTracerProvider({
      resource: this.resource,
      sampler: buildSampler(options.sampler),
      spanProcessors: processors,
    });
    // The OTLP exporter encodes spans in wire form as they are; other exporters get them
    // rebuilt as SDK spans.
    const exportsWireSpans = exporter instanceof OtlpSpanExporter;
    this.#relay = new SpanRelay({
      deliver: (spans) =>
        this.#queue?.enqueue(isEncoded(spans) ? [spans] : exportsWireSpans ? spans : spans.map((span) => fromWireSpan(span, this.resource))),
    });
    this.#uninstall = installGlobalTelemetry(this.#provider);
    setThreadOutbox(this.#relay);
    // worker-otp's own spans skip the SDK: born in wire form, straight to the relay.
    setRuntimeTracerProvider(
      new WireTracerProvider({ sampler: options.sampler, clock, relay: this.#relay, threadId, threadName: MAIN_THREAD_NAME }),
    );
    const threadConfig: ThreadTelemetryConfig = {
      sampler: options.sampler,
      clock,
      maxPendingSpans: options.maxPendingSpansPerThread,
      sendDelayMs: Math.min(options.scheduledDelayMs, 200),
      encodeSpans: exportsWireSpans,
    };
    setEnvironmentData(THREAD_TELEMETRY_KEY, threadConfig);
  }

  /** Export counts, for reporting loss. */
  get stats(): TelemetryStats {
    const queue = this.#queue?.stats ?? { exportedSpans: 0, droppedSpans: 0, failedSpans: 0 };
    return { ...queue, evictedSpans: this.#memory?.evictedSpans ?? 0 };
  }

  /**
   * The spans kept by the `memory` exporter (the default without a collector), oldest
   * first; empty with any other exporter. Call after `forceFlush()` or `shutdown()`.
   */
  finishedSpans(): readonly ReadableSpan[] {
    return this.#memory?.spans ?? [];
  }

  /**
   * Brings in the spans every linked worker thread holds, then exports everything
   * queued. Each worker is waited for at most `flushTimeoutMs`.
   */
  async forceFlush(): Promise<void> {
    await this.#relay.flushDownstream(this.options.flushTimeoutMs);
    await this.#provider.forceFlush();
  }

  /**
   * Flushes every thread, exports what is left, shuts the exporter down and releases the
   * OpenTelemetry globals (telemetry can then be started again). Idempotent; never rejects.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      try {
        await this.forceFlush();
        await this.#provider.shutdown();
      } finally {
        setEnvironmentData(THREAD_TELEMETRY_KEY, undefined);
        setThreadOutbox(undefined);
        setRuntimeTracerProvider(undefined);
        this.#uninstall();
        if (active === this) active = undefined;
      }
    })();
    return this.#shutdown;
  }

  #createExporter(): QueueExporter | undefined {
    const choice = this.options.exporter;
    switch (choice) {
      case 'none':
        return undefined;
      case 'memory':
        return this.#memory;
      case 'console':
        return new ConsoleSpanExporter();
      case 'otlp':
        return new OtlpSpanExporter({ url: this.options.endpoint, timeoutMillis: this.options.exportTimeoutMs, resource: this.resource });
      default:
        return choice;
    }
  }
}

/**
 * Starts OpenTelemetry for the whole process: call once in the main thread, before
 * creating workers. Settings come from `options`, then the standard `OTEL_*`
 * environment variables (see {@link TelemetryOptions}). Worker threads created
 * afterwards pick the same settings up in `startWorkerTelemetry()`.
 *
 * @throws TelemetryAlreadyStartedError when it is already running.
 * @throws TelemetryConflictError when another OpenTelemetry SDK owns the globals.
 */
export function startTelemetry(options: TelemetryOptions = {}): Telemetry {
  if (!isMainThread) {
    throw new TypeError('worker-otp: startTelemetry() runs in the main thread; in a worker call startWorkerTelemetry()');
  }
  if (active) throw new TelemetryAlreadyStartedError();
  active = new Telemetry(resolveTelemetryOptions(options));
  return active;
}

/** The running telemetry, or `undefined` when it is not started. */
export function currentTelemetry(): Telemetry | undefined {
  return active;
}
