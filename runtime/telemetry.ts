/**
 * worker-otp's own OpenTelemetry setup, for an application that has none (and for the
 * demo): one call sets up the whole process. An application that runs an SDK does not
 * need it: worker-otp joins that SDK by itself (see `app-telemetry.ts`).
 */
import { isMainThread } from 'node:worker_threads';
import { TelemetryAlreadyStartedError, TelemetryConflictError } from '../errors';
import type { ExportStats } from '../telemetry/export/export-stats';
import type { TailSamplingStats } from '../telemetry/export/tail-decisions';
import { MemorySpanStore } from '../telemetry/export/memory-span-store';
import type { SdkReadableSpan, SdkResource } from '../telemetry/sdk-types';
import { appTelemetryPresent } from './app-telemetry';
import type * as OwnPipelineModule from './own-pipeline';
import type * as OwnMetricsModule from './own-metrics';
import type { OwnMetrics } from './own-metrics';
import type { OwnPipeline } from './own-pipeline';
import { resolveTelemetryOptions, type ResolvedTelemetryOptions, type TelemetryOptions } from './telemetry-options';

/** What telemetry has lost or delivered so far; the goal is no loss. */
export interface TelemetryStats extends ExportStats {
  /** Spans the memory exporter pushed out to stay within `memorySpanLimit`. */
  readonly evictedSpans: number;
  /** What tail sampling kept and released unexported (when `tailSampling` is on). */
  readonly tailSampling?: TailSamplingStats;
}

/** The SDK packages worker-otp's own setup needs; an application with its own SDK does not install them for worker-otp. */
const SDK_PACKAGES = ['@opentelemetry/sdk-trace-base', '@opentelemetry/resources', '@opentelemetry/otlp-exporter-base', '@opentelemetry/otlp-transformer'];

const METRICS_PACKAGES = ['@opentelemetry/sdk-metrics', '@opentelemetry/exporter-metrics-otlp-proto'];

/** Loads a part of the own setup; a package it needs that is missing becomes an error saying what to install. */
function loadPart<T>(load: () => T, packages: readonly string[], explain: (missing: string) => string): T {
  try {
    return load();
  } catch (error) {
    const missing = (error as { code?: string }).code === 'MODULE_NOT_FOUND' && packages.find((name) => (error as Error).message.includes(`'${name}'`));
    if (!missing) throw error;
    throw new Error(explain(missing), { cause: error });
  }
}

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK is loaded when the own setup starts, not with worker-otp */
const loadOwnPipeline = () =>
  loadPart(
    () => require('./own-pipeline') as typeof OwnPipelineModule,
    SDK_PACKAGES,
    (missing) =>
      `worker-otp telemetry: startTelemetry() needs the OpenTelemetry SDK packages (${missing} is missing): npm install ${SDK_PACKAGES.join(' ')}. ` +
      'An application that runs its own SDK does not call startTelemetry(): worker-otp joins that SDK by itself',
  );
const loadOwnMetrics = () =>
  loadPart(
    () => require('./own-metrics') as typeof OwnMetricsModule,
    METRICS_PACKAGES,
    (missing) => `worker-otp telemetry: exporting metrics needs ${missing}: npm install ${METRICS_PACKAGES.join(' ')} (or set OTEL_METRICS_EXPORTER=none)`,
  );
/* eslint-enable @typescript-eslint/no-require-imports */

let active: Telemetry | undefined;

/**
 * worker-otp's own telemetry for this process. Create it with {@link startTelemetry};
 * with `OTEL_SDK_DISABLED=true` it records and registers nothing.
 */
export class Telemetry {
  /** The settings in force. */
  readonly options: ResolvedTelemetryOptions;
  readonly #memory: MemorySpanStore | undefined;
  readonly #pipeline: OwnPipeline | undefined;
  readonly #metrics: OwnMetrics | undefined;
  /** Exports what was recorded when the program ends without calling `shutdown()`. */
  readonly #onBeforeExit = () => void this.shutdown();
  #shutdown: Promise<void> | undefined;

  /** Made by {@link startTelemetry}; not for direct use. */
  constructor(options: ResolvedTelemetryOptions) {
    this.options = options;
    this.#memory = options.exporter === 'memory' && !options.disabled ? new MemorySpanStore(options.memorySpanLimit) : undefined;
    this.#pipeline = options.disabled ? undefined : loadOwnPipeline().startOwnPipeline(options, this.#memory);
    this.#metrics = this.#pipeline && options.metrics.exporter !== 'none' ? loadOwnMetrics().startOwnMetrics(options.metrics, this.#pipeline.resource) : undefined;
    if (this.#pipeline) process.once('beforeExit', this.#onBeforeExit);
  }

  /** The resource every exported span carries, whichever thread recorded it (none when disabled). */
  get resource(): SdkResource | undefined {
    return this.#pipeline?.resource;
  }

  /** Export counts, for reporting loss. */
  get stats(): TelemetryStats {
    const queue = this.#pipeline?.stats ?? { exportedSpans: 0, droppedSpans: 0, failedSpans: 0 };
    const tailSampling = this.#pipeline?.tailStats;
    return { ...queue, evictedSpans: this.#memory?.evictedSpans ?? 0, ...(tailSampling ? { tailSampling } : {}) };
  }

  /**
   * The spans kept by the `memory` exporter, oldest first; empty with any other exporter.
   * Call after `forceFlush()` or `shutdown()`.
   */
  finishedSpans(): readonly SdkReadableSpan[] {
    return this.#memory?.spans ?? [];
  }

  /**
   * Brings in the spans every linked worker thread holds, then exports everything
   * queued. Each worker is waited for at most `flushTimeoutMs`.
   */
  async forceFlush(): Promise<void> {
    await Promise.all([this.#pipeline?.forceFlush(), this.#metrics?.forceFlush()]);
  }

  /**
   * Flushes every thread, exports what is left, shuts the exporter down and releases the
   * OpenTelemetry globals (telemetry can then be started again). Idempotent; never rejects.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      process.removeListener('beforeExit', this.#onBeforeExit);
      try {
        await Promise.all([this.#pipeline?.shutdown(), this.#metrics?.shutdown()]);
      } finally {
        if (active === this) active = undefined;
      }
    })();
    return this.#shutdown;
  }
}

/**
 * Starts worker-otp's own OpenTelemetry for the whole process, for an application with no
 * SDK of its own: call once in the main thread, before creating processes or pools.
 * Settings come from `options`, then the standard `OTEL_*` environment variables (see
 * {@link TelemetryOptions}). It registers the global tracer provider, context manager and
 * propagator, and exports every thread's spans; worker threads created afterwards pick
 * the same settings up. It loads the SDK packages (`@opentelemetry/sdk-trace-base`,
 * `resources`, `otlp-exporter-base`, `otlp-transformer`), which the application installs.
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
