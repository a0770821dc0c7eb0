import { getEnvironmentData, isMainThread, threadId } from 'node:worker_threads';
import { diag } from '../propagation/opentelemetry';
import { setThreadOutbox } from '../protocol/span-outbox';
import { encodeScopeSpans } from '../telemetry/export/otlp-encoder';
import { installGlobalTelemetry } from '../telemetry/record/install-globals';
import { setRuntimeTracerProvider } from '../protocol/runtime-tracer';
import { WireTracerProvider } from '../telemetry/record/wire-tracer';
import { SpanRelay } from '../telemetry/relay/span-relay';
import { THREAD_TELEMETRY_KEY, type ThreadTelemetryConfig } from '../telemetry/thread-config';

/** This thread's telemetry once started, shared by every copy of worker-otp's modules in the thread. */
const KEY = Symbol.for('worker-otp.worker-telemetry');
const registry = globalThis as { [KEY]?: WorkerTelemetry | undefined };

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
  const started = registry[KEY];
  if (started) return started;
  const config = getEnvironmentData(THREAD_TELEMETRY_KEY) as ThreadTelemetryConfig | undefined;
  if (config === undefined) {
    diag.debug('worker-otp: telemetry is not started in the main thread; tracing is off in this worker');
    return undefined;
  }
  const relay = new SpanRelay({
    maxPending: config.maxPendingSpans,
    sendDelayMs: config.sendDelayMs,
    rideBatch: config.rideBatch,
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
  setThreadOutbox(relay);
  // process.exit() in a worker still runs 'exit' listeners, and a message posted there
  // is delivered: the last spans of a thread that exits on purpose are not lost.
  process.once('exit', () => relay.sendPending());
  const running: WorkerTelemetry = { relay, flush: () => relay.sendPending() };
  registry[KEY] = running;
  return running;
}
