/**
 * worker-otp's own OpenTelemetry setup, for an application that has none (and for the
 * demo): one call sets up a tracer provider in the main thread, the settings every worker
 * thread copies, and one export pipeline all spans leave by. An application that runs an
 * SDK does not need it: worker-otp joins that SDK by itself (see `app-telemetry.ts`).
 */
import { isMainThread, threadId } from 'node:worker_threads';
import { defaultResource, detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, ConsoleSpanExporter, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TelemetryAlreadyStartedError, TelemetryConflictError } from '../errors';
import { setThreadOutbox } from '../protocol/span-outbox';
import { isEncoded } from '../protocol/span-packet';
import { ExportQueue, type ExportStats, type QueueExporter } from '../telemetry/export/export-queue';
import { MemorySpanStore } from '../telemetry/export/memory-span-store';
import { OtlpJsonSpanExporter, OtlpSpanExporter } from '../telemetry/export/otlp-exporter';
import { fromWireSpan } from '../telemetry/export/readable-span';
import { MAIN_THREAD_NAME } from '../telemetry/record/attributes';
import { installGlobalTelemetry } from '../telemetry/record/install-globals';
import { setRuntimeTracerProvider } from '../telemetry/record/runtime-tracer';
import { createClockAnchor } from '../telemetry/record/shared-clock';
import { WireTracerProvider } from '../telemetry/record/wire-tracer';
import { SpanRelay } from '../telemetry/relay/span-relay';
import { publishThreadConfig } from '../telemetry/thread-config';
import { appTelemetryPresent } from './app-telemetry';
import { buildSampler } from './sdk-sampler';
import { resolveTelemetryOptions, type ResolvedTelemetryOptions, type TelemetryOptions } from './telemetry-options';
import { ThreadStampProcessor } from './thread-stamp-processor';

/** What telemetry has lost or delivered so far; the goal is no loss. */
export interface TelemetryStats extends ExportStats {
  /** Spans the memory exporter pushed out to stay within `memorySpanLimit`. */
  readonly evictedSpans: number;
}

let active: Telemetry | undefined;

/** The running parts of an enabled setup. */
interface Engine {
  readonly provider: BasicTracerProvider;
  readonly queue: ExportQueue | undefined;
  readonly relay: SpanRelay;
  readonly uninstall: () => void;
}

/**
 * worker-otp's own telemetry for this process. Create it with {@link startTelemetry};
 * with `OTEL_SDK_DISABLED=true` it records and registers nothing.
 */
export class Telemetry {
  /** The settings in force. */
  readonly options: ResolvedTelemetryOptions;
  /** The resource every exported span carries, whichever thread recorded it. */
  readonly resource: Resource;
  readonly #memory: MemorySpanStore | undefined;
  readonly #engine: Engine | undefined;
  /** Exports what was recorded when the program ends without calling `shutdown()`. */
  readonly #onBeforeExit = () => void this.shutdown();
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
    this.#memory = options.exporter === 'memory' && !options.disabled ? new MemorySpanStore(options.memorySpanLimit) : undefined;
    this.#engine = options.disabled ? undefined : this.#start();
    if (this.#engine) process.once('beforeExit', this.#onBeforeExit);
  }

  #start(): Engine {
    const { options } = this;
    const exporter = this.#createExporter();
    const queue = exporter
      ? new ExportQueue(exporter, {
          maxQueueSize: options.maxQueueSize,
          maxExportBatchSize: options.maxExportBatchSize,
          scheduledDelayMs: options.scheduledDelayMs,
          exportTimeoutMs: options.exportTimeoutMs,
        })
      : undefined;
    const clock = createClockAnchor();
    const processors: SpanProcessor[] = [new ThreadStampProcessor(clock, { id: threadId, name: MAIN_THREAD_NAME })];
    if (queue) processors.push(queue);
    const provider = new BasicTracerProvider({ resource: this.resource, sampler: buildSampler(options.sampler), spanProcessors: processors });
    // The OTLP protobuf exporter encodes spans in wire form as they are; other exporters get them
    // rebuilt as SDK spans.
    const exportsWireSpans = exporter instanceof OtlpSpanExporter;
    const relay = new SpanRelay({
      deliver: (spans) => queue?.enqueue(isEncoded(spans) ? [spans] : exportsWireSpans ? spans : spans.map((span) => fromWireSpan(span, this.resource))),
    });
    const uninstall = installGlobalTelemetry(provider);
    setThreadOutbox(relay);
    // worker-otp's own spans skip the SDK: born in wire form, straight to the relay.
    setRuntimeTracerProvider(new WireTracerProvider({ sampler: options.sampler, clock, relay, threadId, threadName: MAIN_THREAD_NAME }));
    publishThreadConfig({
      sampler: options.sampler,
      clock,
      maxPendingSpans: options.maxPendingSpansPerThread,
      sendDelayMs: Math.min(options.scheduledDelayMs, 200),
      encodeSpans: exportsWireSpans,
    });
    return { provider, queue, relay, uninstall };
  }

  /** Export counts, for reporting loss. */
  get stats(): TelemetryStats {
    const queue = this.#engine?.queue?.stats ?? { exportedSpans: 0, droppedSpans: 0, failedSpans: 0 };
    return { ...queue, evictedSpans: this.#memory?.evictedSpans ?? 0 };
  }

  /**
   * The spans kept by the `memory` exporter, oldest first; empty with any other exporter.
   * Call after `forceFlush()` or `shutdown()`.
   */
  finishedSpans(): readonly ReadableSpan[] {
    return this.#memory?.spans ?? [];
  }

  /**
   * Brings in the spans every linked worker thread holds, then exports everything
   * queued. Each worker is waited for at most `flushTimeoutMs`.
   */
  async forceFlush(): Promise<void> {
    if (this.#engine === undefined) return;
    await this.#engine.relay.flushDownstream(this.options.flushTimeoutMs);
    await this.#engine.provider.forceFlush();
  }

  /**
   * Flushes every thread, exports what is left, shuts the exporter down and releases the
   * OpenTelemetry globals (telemetry can then be started again). Idempotent; never rejects.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      process.removeListener('beforeExit', this.#onBeforeExit);
      try {
        await this.forceFlush();
        await this.#engine?.provider.shutdown();
      } finally {
        if (this.#engine) {
          publishThreadConfig(undefined);
          setThreadOutbox(undefined);
          setRuntimeTracerProvider(undefined);
          this.#engine.uninstall();
        }
        if (active === this) active = undefined;
      }
    })();
    return this.#shutdown;
  }

  #createExporter(): QueueExporter | undefined {
    const { exporter: choice, endpoint, exportTimeoutMs, protocol } = this.options;
    switch (choice) {
      case 'none':
        return undefined;
      case 'memory':
        return this.#memory;
      case 'console':
        return new ConsoleSpanExporter();
      case 'otlp': {
        const options = { url: endpoint, timeoutMillis: exportTimeoutMs, resource: this.resource };
        return protocol === 'http/json' ? new OtlpJsonSpanExporter(options) : new OtlpSpanExporter(options);
      }
      default:
        return choice;
    }
  }
}

/**
 * Starts worker-otp's own OpenTelemetry for the whole process, for an application with no
 * SDK of its own: call once in the main thread, before creating processes or pools.
 * Settings come from `options`, then the standard `OTEL_*` environment variables (see
 * {@link TelemetryOptions}). It registers the global tracer provider, context manager and
 * propagator, and exports every thread's spans; worker threads created afterwards pick
 * the same settings up.
 *
 * An application that already runs OpenTelemetry (NodeSDK, its own tracer provider, the
 * zero-code preload) does not call it: worker-otp joins that setup on its own.
 *
 * @throws TelemetryAlreadyStartedError when it is already running.
 * @throws TelemetryConflictError when the application already runs OpenTelemetry.
 */
export function startTelemetry(options: TelemetryOptions = {}): Telemetry {
  if (!isMainThread) {
    throw new TypeError('worker-otp: startTelemetry() runs in the main thread; in a worker call startWorkerTelemetry()');
  }
  if (active) throw new TelemetryAlreadyStartedError();
  const resolved = resolveTelemetryOptions(options);
  if (!resolved.disabled && appTelemetryPresent()) throw new TelemetryConflictError();
  active = new Telemetry(resolved);
  return active;
}

/** The running telemetry, or `undefined` when it is not started. */
export function currentTelemetry(): Telemetry | undefined {
  return active;
}
