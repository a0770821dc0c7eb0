import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION, trace } from '../propagation/opentelemetry';

/**
 * What this thread records worker-otp's own spans with, kept on `globalThis` so every copy
 * of worker-otp's modules in the thread shares it (see `protocol/span-outbox.ts`).
 */
const KEY = Symbol.for('worker-otp.runtime-tracer');
const registry = globalThis as { [KEY]?: Tracer | undefined };

/**
 * Sets what this thread records worker-otp's own spans with: the telemetry bootstrap of
 * the thread sets its wire tracer provider, and clears it when telemetry stops.
 */
export function setRuntimeTracerProvider(provider: TracerProvider | undefined): void {
  registry[KEY] = provider?.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
}

/** Sets the tracer itself (the application's, in library mode); `undefined` clears it. */
export function setRuntimeTracer(tracer: Tracer | undefined): void {
  registry[KEY] = tracer;
}

/** The tracer for worker-otp's automatic spans (the API's global one when none is set). */
export function runtimeTracer(): Tracer {
  return registry[KEY] ?? trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
}
