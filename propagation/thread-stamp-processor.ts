import type { HrTime } from '@opentelemetry/api';
import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { sharedClockNow, type ClockAnchor } from './shared-clock';
import { ATTR_THREAD_ID, ATTR_THREAD_NAME } from './attributes';

/** Identifies the thread a span was recorded on (OpenTelemetry `thread.*` conventions). */
export interface ThreadIdentity {
  readonly id: number;
  readonly name: string;
}

function isWholeMillisecondNear(time: HrTime, nowMillis: number): boolean {
  return time[1] % 1_000_000 === 0 && Math.abs(time[0] * 1000 + time[1] / 1_000_000 - nowMillis) <= 1;
}

/**
 * Runs first in every thread's provider: tags each span with the thread it ran on and
 * moves its start onto the process-wide shared clock.
 *
 * The SDK sets a span's start from `Date.now()` and derives its end and event times as
 * start + elapsed `performance.now()`; replacing the start at `onStart` therefore moves
 * the whole span onto the shared clock. A start the caller gave explicitly is kept: the
 * SDK's own stamp is a whole millisecond within a millisecond of now, which a caller's
 * time almost never is, and when it is, the precise reading is the better value anyway.
 */
export class ThreadStampProcessor implements SpanProcessor {
  readonly #anchor: ClockAnchor;
  readonly #thread: ThreadIdentity;

  constructor(anchor: ClockAnchor, thread: ThreadIdentity) {
    this.#anchor = anchor;
    this.#thread = thread;
  }

  onStart(span: Span): void {
    if (isWholeMillisecondNear(span.startTime, Date.now())) {
      (span as { startTime: HrTime }).startTime = sharedClockNow(this.#anchor);
    }
    span.setAttribute(ATTR_THREAD_ID, this.#thread.id);
    span.setAttribute(ATTR_THREAD_NAME, this.#thread.name);
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
