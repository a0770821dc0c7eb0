import type { Tracer } from '@opentelemetry/api';
import { trace } from './opentelemetry';

/** The instrumentation scope of the spans worker-otp records itself. */
export const INSTRUMENTATION_NAME = 'worker-otp';
/** Kept in step with package.json. */
export const INSTRUMENTATION_VERSION = '0.1.0';

/** The tracer for worker-otp's automatic spans, from this thread's global provider. */
export function runtimeTracer(): Tracer {
  return trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
}
