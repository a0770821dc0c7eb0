import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { trace } from './opentelemetry';

/** The instrumentation scope of the spans worker-otp records itself. */
export const INSTRUMENTATION_NAME = 'worker-otp';
/** Kept in step with package.json. */
export const INSTRUMENTATION_VERSION = '0.1.0';

let tracer: Tracer | undefined;

/**
 * Sets what this thread records worker-otp's own spans with: the telemetry bootstrap of
 * the thread sets its wire tracer provider, and clears it when telemetry stops.
 */
export function setRuntimeTracerProvider(provider: TracerProvider | undefined): void {
  tracer = provider?.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
}

/** The tracer for worker-otp's automatic spans (the API's, a no-op, when telemetry is off). */
export function runtimeTracer(): Tracer {
  return tracer ?? trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
}
