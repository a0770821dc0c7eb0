import { threadId } from 'node:worker_threads';
import type { Context, Span, SpanOptions, TimeInput, Tracer } from '@opentelemetry/api';
import { ATTR_THREAD_ID, ATTR_THREAD_NAME, MAIN_THREAD_NAME } from '../record/attributes';
import { sharedClockNow, type ClockAnchor } from '../record/shared-clock';

/**
 * A tracer of the application's SDK whose spans start and end on the clock every thread
 * shares, and say they ran on the main thread (`thread.id`, `thread.name`). Why: the SDK stamps a span's start with `Date.now()` (whole milliseconds) and
 * its end from there, so worker-otp's own spans on the main thread (`*.call`, `*.submit`)
 * could sit up to a millisecond off the worker spans nested in them, which are on the
 * shared clock; a child would seem to start before its parent.
 */
export class ClockedTracer implements Tracer {
  readonly #tracer: Tracer;
  readonly #clock: ClockAnchor;

  constructor(tracer: Tracer, clock: ClockAnchor) {
    this.#tracer = tracer;
    this.#clock = clock;
  }

  startSpan(name: string, options: SpanOptions = {}, context?: Context): Span {
    const span = this.#tracer.startSpan(name, options.startTime === undefined ? { ...options, startTime: sharedClockNow(this.#clock) } : options, context);
    if (!span.isRecording()) return span;
    span.setAttribute(ATTR_THREAD_ID, threadId);
    span.setAttribute(ATTR_THREAD_NAME, MAIN_THREAD_NAME);
    return new ClockedSpan(span, this.#clock);
  }

  startActiveSpan<F extends (span: Span) => unknown>(): ReturnType<F> {
    // worker-otp starts its spans with startSpan only; an active span is entered with context.with.
    throw new TypeError('worker-otp: the runtime tracer has no startActiveSpan');
  }
}

/** A span whose end, unless given, is read from the shared clock. */
class ClockedSpan implements Span {
  readonly #span: Span;
  readonly #clock: ClockAnchor;

  constructor(span: Span, clock: ClockAnchor) {
    this.#span = span;
    this.#clock = clock;
  }

  end(endTime?: TimeInput): void {
    this.#span.end(endTime ?? sharedClockNow(this.#clock));
  }

  spanContext() {
    return this.#span.spanContext();
  }

  setAttribute(...args: Parameters<Span['setAttribute']>): this {
    this.#span.setAttribute(...args);
    return this;
  }

  setAttributes(...args: Parameters<Span['setAttributes']>): this {
    this.#span.setAttributes(...args);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Parameters<Span['addEvent']>[1], time?: TimeInput): this {
    const isTime = typeof attributesOrTime === 'number' || attributesOrTime instanceof Date || Array.isArray(attributesOrTime);
    if (isTime) this.#span.addEvent(name, attributesOrTime);
    else this.#span.addEvent(name, attributesOrTime, time ?? sharedClockNow(this.#clock));
    return this;
  }

  addLink(...args: Parameters<Span['addLink']>): this {
    this.#span.addLink(...args);
    return this;
  }

  addLinks(...args: Parameters<Span['addLinks']>): this {
    this.#span.addLinks(...args);
    return this;
  }

  setStatus(...args: Parameters<Span['setStatus']>): this {
    this.#span.setStatus(...args);
    return this;
  }

  updateName(name: string): this {
    this.#span.updateName(name);
    return this;
  }

  isRecording(): boolean {
    return this.#span.isRecording();
  }

  recordException(exception: Parameters<Span['recordException']>[0], time?: TimeInput): void {
    this.#span.recordException(exception, time ?? sharedClockNow(this.#clock));
  }
}
