/**
 * worker-otp's meter, from the application's global MeterProvider (the Node SDK's, or the
 * one worker-otp's own setup registers). While none is registered the API hands out a
 * no-op provider: then there is no meter, and worker-otp records nothing and makes no
 * instrument. A provider registered later is found at the next look.
 */
import { metrics, type Meter, type MeterProvider } from '@opentelemetry/api';
import { INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION } from '../../propagation/opentelemetry';

let cached: { provider: MeterProvider; meter: Meter } | undefined;

/** Whether `provider` is the API's stand-in for "no SDK" (its class name is all the API exposes of it). */
function isNoop(provider: MeterProvider): boolean {
  return provider.constructor?.name === 'NoopMeterProvider';
}

/** worker-otp's meter, or `undefined` while the application registered no MeterProvider. */
export function currentMeter(): Meter | undefined {
  const provider = metrics.getMeterProvider();
  if (cached?.provider === provider) return cached.meter;
  if (isNoop(provider)) return undefined;
  cached = { provider, meter: provider.getMeter(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION) };
  return cached.meter;
}
