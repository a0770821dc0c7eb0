import { getEnvironmentData, isMainThread, threadId } from 'node:worker_threads';
import { threadState } from '../propagation/thread-state';
import { diag } from '../propagation/opentelemetry';
import { installGlobalTelemetry } from '../propagation/global-telemetry';
import { encodeScopeSpans } from '../propagation/otlp-encoder';
import { SpanRelay, setThreadSpanRelay } from '../propagation/span-relay';
import { setRuntimeTracerProvider } from '../propagation/tracer';
import { THREAD_TELEMETRY_KEY, type ThreadTelemetryConfig } from '../propagation/thread-telemetry-config';
import { WireTracerProvider } from '../propagation/wire-tracer';

/** Options for {@link startWorkerTelemetry}. */
export interface WorkerTelemetryOptions {
  /** Recorded as `thread.name` on this thread's spans. Default: `worker-<threadId>`. */
  readonly threadName?: string;
}

/** This worker thread's telemetry, as {@link startWorkerTelemetry} set it up. */
export interface WorkerTelemetry {
  /** The relay that carries this thread's spans to the main thread. */
  readonly relay: SpanRelay;
  /** Sends every span this thread holds to its parent now. */
  flush(): void;
}

/**
 * Sets up OpenTelemetry in a worker thread, as the main thread's `startTelemetry`
 * configured it: a tracer provider with an AsyncLocalStorage context manager and
 * parent-based sampling, so `trace.getActiveSpan()` and `trace.getTracer()` work in user
 * code here; ended spans go to the main thread, whose SDK exports them. Only
 * `@opentelemetry/api` and the context manager are loaded here, not the SDK.
 *
 * Call it once, at the top of a worker's module (worker-otp's own workers already do).
 * Idempotent. Returns `undefined`, and records nothing, when the main thread has not
 * started telemetry: tracing is then off in this thread and costs nothing.
 */
export function startWorkerTelemetry(options: WorkerTelemetryOptions = {}): WorkerTelemetry | undefined {
  if (isMainThread) {
    throw new TypeError('worker-otp: startWorkerTelemetry() runs in worker threads; in the main thread call startTelemetry()');
  }
  if (threadState.workerTelemetry) return threadState.workerTelemetry as WorkerTelemetry;
  const config = getEnvironmentData(THREAD_TELEMETRY_KEY) as ThreadTelemetryConfig | undefined;
  if (config === undefined) {
    diag.debug('worker-otp: telemetry is not started in the main thread; tracing is off in this worker');
    return undefined;
  }
  const relay = new SpanRelay({
    maxPending: config.maxPendingSpans,
    sendDelayMs: config.sendDelayMs,
    ...(config.encodeSpans ? { encode: encodeScopeSpans } : {}),
  });
  const provider = new WireTracerProvider({
    sampler: config.sampler,
    clock: config.clock,
    relay,
    threadId,
    threadName: options.threadName ?? `worker-${threadId}`,
  });
  installGlobalTelemetry(provider);
  setRuntimeTracerProvider(provider);
  setThreadSpanRelay(relay);
  // process.exit() in a worker still runs 'exit' listeners, and a message posted there
  // is delivered: the last spans of a thread that exits on purpose are not lost.
  process.once('exit', () => relay.sendPending());
  const running: WorkerTelemetry = { relay, flush: () => relay.sendPending() };
  threadState.workerTelemetry = running;
  return running;
}
