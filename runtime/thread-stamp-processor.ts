import type { HrTime } from '@opentelemetry/api';
import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_THREAD_ID, ATTR_THREAD_NAME } from '../telemetry/record/attributes';
import { sharedClockNow, type ClockAnchor } from '../telemetry/record/shared-clock';

/** Identifies the thread a span was recorded on (OpenTelemetry `thread.*` conventions). */
export interface ThreadIdentity {
  readonly id: number;
  readonly name: string;
}

/**
 * Whether the SDK stamped the start itself (the caller gave none). SDK 2.12 records that
 * in a private field; without it (another SDK version) the stamp is recognised as a whole
 * millisecond close to now. The field is read, never written.
 */
function stampedBySdk(span: Span): boolean {
  const provided = (span as unknown as { _startTimeProvided?: unknown })._startTimeProvided;
  if (typeof provided === 'boolean') return !provided;
  const time: HrTime = span.startTime;
  return time[1] % 1_000_000 === 0 && Math.abs(time[0] * 1000 + time[1] / 1_000_000 - Date.now()) <= 1;
}

/**
 * Runs first in the main thread's SDK provider: tags each span with the thread it ran on
 * and moves its start onto the process-wide shared clock (worker threads' tracer does
 * both natively, see `propagation/wire-tracer.ts`).
 *
 * The SDK sets a span's start from `Date.now()` and derives its end and event times as
 * start + elapsed `performance.now()`; replacing the start at `onStart` therefore moves
 * the whole span onto the shared clock. A start the caller gave explicitly is kept.
 */
export class ThreadStampProcessor implements SpanProcessor {
  readonly #anchor: ClockAnchor;
  readonly #thread: ThreadIdentity;

  constructor(anchor: ClockAnchor, thread: ThreadIdentity) {
    this.#anchor = anchor;
    this.#thread = thread;
  }

  onStart(span: Span): void {
    if (stampedBySdk(span)) {
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
