/**
 * What worker-otp keeps once per thread, on `globalThis` under a registered symbol, so
 * that every copy of its modules loaded in a thread shares it: worker threads run the
 * bundled worker runtime (`dist/workers/thread-runtime.js`), and application code there
 * may also import the package's main entry.
 */
import type { Tracer } from '@opentelemetry/api';
import type { RebindableTracerProvider } from './rebindable-tracer-provider';
import type { SpanRelay } from './span-relay';

export interface ThreadState {
  /** The relay carrying this thread's spans towards the exporter (telemetry on). */
  relay?: SpanRelay | undefined;
  /** What worker-otp records its own spans with (telemetry on). */
  runtimeTracer?: Tracer | undefined;
  /** The global tracer provider worker-otp registered, kept for the thread's life. */
  tracerProvider?: RebindableTracerProvider | undefined;
  /** Set in a process thread: what the process API calls. */
  processRuntime?: unknown;
  /** Set once startWorkerTelemetry has run in this thread. */
  workerTelemetry?: unknown;
}

const KEY = Symbol.for('worker-otp.thread-state');

export const threadState: ThreadState = ((globalThis as Record<symbol, ThreadState | undefined>)[KEY] ??= {});
