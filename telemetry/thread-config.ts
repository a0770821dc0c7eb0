import { setEnvironmentData } from 'node:worker_threads';
import type { ClockAnchor } from './record/shared-clock';
import type { SamplerConfig } from './record/sampling';

/**
 * The key under which the main thread publishes telemetry settings with
 * `worker_threads.setEnvironmentData`. Node copies environment data into every worker
 * created afterwards (and into their workers), so any thread — ours, Piscina's, a
 * user's own — can set itself up with no message exchange.
 */
export const THREAD_TELEMETRY_KEY = 'worker-otp:telemetry';

/** What a worker thread needs to record spans the way the main thread does. */
export interface ThreadTelemetryConfig {
  readonly sampler: SamplerConfig;
  readonly clock: ClockAnchor;
  /** Spans a worker holds for its parent before dropping new ones. */
  readonly maxPendingSpans: number;
  /** How long a worker's spans wait for a reply to ride on, in ms. */
  readonly sendDelayMs: number;
  /**
   * Whether threads encode their spans as OTLP before sending them: true when the main
   * thread exports with the OTLP exporter, which takes spans in that form.
   */
  readonly encodeSpans: boolean;
  /** Spans a GenServer thread gathers before a reply carries them (see `SpanRelayOptions.rideBatch`). */
  readonly rideBatch: number;
}

/**
 * Publishes the settings for threads created from now on (`undefined`: threads created
 * from now on record nothing).
 */
export function publishThreadConfig(config: ThreadTelemetryConfig | undefined): void {
  setEnvironmentData(THREAD_TELEMETRY_KEY, config);
}
