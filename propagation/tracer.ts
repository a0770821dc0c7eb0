import type { Tracer } from '@opentelemetry/api';
import { registeredTracerProvider } from './global-telemetry';
import { trace } from './opentelemetry';

/** The instrumentation scope of the spans worker-otp records itself. */
export const INSTRUMENTATION_NAME = 'worker-otp';
/** Kept in step with package.json. */
export const INSTRUMENTATION_VERSION = '0.1.0';

let tracer: Tracer | undefined;

/**
 * The tracer for worker-otp's automatic spans. Once worker-otp has registered this
 * thread's provider it is one tracer for the thread's life (it follows telemetry
 * restarts itself), taken once rather than through the API's global lookup per span.
 */
export function runtimeTracer(): Tracer {
  if (tracer) return tracer;
  const provider = registeredTracerProvider();
  if (provider === undefined) return trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
  tracer = provider.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
  return tracer;
}
