/**
 * worker-otp's meter, from the application's global MeterProvider (the Node SDK's, or the
 * one worker-otp's own setup registers). While none is registered the API hands out a
 * no-op provider: then there is no meter, and worker-otp records nothing and makes no
 * instrument. A provider registered later is found at the next look.
 */
import { createNoopMeter, metrics, type Meter, type MeterProvider } from '@opentelemetry/api';
import { INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION } from '../../propagation/opentelemetry';

/** The meter of the provider last looked at (`undefined`: the API's no-op one). */
let cached: { provider: MeterProvider; meter: Meter | undefined } | undefined;

/** worker-otp's meter, or `undefined` while the application registered no MeterProvider. */
export function currentMeter(): Meter | undefined {
  const provider = metrics.getMeterProvider();
  if (cached?.provider !== provider) {
    const meter = provider.getMeter(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
    // The API's no-op provider hands out its one no-op meter (a check a minifier cannot rename away).
    cached = { provider, meter: meter === createNoopMeter() ? undefined : meter };
  }
  return cached.meter;
}
