import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { trace } from './opentelemetry';
import { threadState } from './thread-state';

/** The instrumentation scope of the spans worker-otp records itself. */
export const INSTRUMENTATION_NAME = 'worker-otp';
/** Kept in step with package.json. */
export const INSTRUMENTATION_VERSION = '0.1.0';

/**
 * Sets what this thread records worker-otp's own spans with: the telemetry bootstrap of
 * the thread sets its wire tracer provider, and clears it when telemetry stops.
 */
export function setRuntimeTracerProvider(provider: TracerProvider | undefined): void {
  threadState.runtimeTracer = provider?.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
}

/** The tracer for worker-otp's automatic spans (the API's, a no-op, when telemetry is off). */
export function runtimeTracer(): Tracer {
  return threadState.runtimeTracer ?? trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
}
