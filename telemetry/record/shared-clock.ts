import type { HrTime } from '@opentelemetry/api';

/**
 * One time base for the spans of every thread in the process.
 *
 * Why: the SDK stamps a span's start with `Date.now()` (whole milliseconds) and measures
 * its duration with `performance.now()`, whose origin is per thread. Two threads'
 * spans can then disagree by up to a millisecond, enough for a worker's child span to
 * start before, or end after, the caller's span that contains it. `process.hrtime` reads
 * the one monotonic clock all threads share, so anchoring it to wall time once, in the
 * main thread, and handing that anchor to every worker gives all threads the same
 * nanosecond-resolution clock.
 */
export interface ClockAnchor {
  /** Wall-clock time of the anchor, in nanoseconds since the Unix epoch. */
  readonly epochNanos: bigint;
  /** `process.hrtime.bigint()` read at the same instant. */
  readonly monotonicNanos: bigint;
}

/** Takes an anchor now. Called once, in the main thread, when telemetry starts. */
export function createClockAnchor(): ClockAnchor {
  const monotonicNanos = process.hrtime.bigint();
  const epochMillis = performance.timeOrigin + performance.now();
  return { epochNanos: BigInt(Math.round(epochMillis * 1e6)), monotonicNanos };
}

const NANOS_PER_SECOND = 1_000_000_000n;

/** The current time on the shared time base, as OpenTelemetry's `[seconds, nanos]`. */
export function sharedClockNow(anchor: ClockAnchor): HrTime {
  const nanos = anchor.epochNanos + (process.hrtime.bigint() - anchor.monotonicNanos);
  return [Number(nanos / NANOS_PER_SECOND), Number(nanos % NANOS_PER_SECOND)];
}
