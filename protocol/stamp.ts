/**
 * The one step every sender and receiver of an envelope goes through for what rides along
 * with the message: the trace context (stamped on the way out, opened on the way in) and
 * the spans the sending thread ended (attached on the way out, put back if the message
 * cannot be sent; taken into the receiving thread's outbox on the way in).
 */
import type { Context, Span } from '@opentelemetry/api';
import { PayloadNotCloneableError, isDataCloneError } from '../errors';
import { TraceFlags, context, trace } from '../propagation/opentelemetry';
import { extractTraceContext, injectTraceCarrier } from '../propagation/trace-carrier';
import { NO_TRACE, type SpanFields, type TraceFields } from './envelopes';
import type { Port } from './port';
import { threadOutbox, tracingOn } from './span-outbox';
import type { SpanPacket } from './span-packet';

/**
 * The trace fields of an envelope that starts work: the active context (inside `span`
 * when given), and, only when that context is traced, the send time on the clock all
 * threads share, so the receiver can record how long the message waited in its mailbox.
 * With tracing off and no span it is {@link NO_TRACE}: one check, nothing allocated.
 */
export function stampTrace(span?: Span): TraceFields {
  if (span === undefined && !tracingOn()) return NO_TRACE;
  const active = context.active();
  const spanContext = span ? span.spanContext() : trace.getSpanContext(active);
  const wire = injectTraceCarrier(active, spanContext);
  if (wire === undefined) return NO_TRACE;
  // The wait is recorded only on a span that is recorded: only a sampled trace needs the time.
  const sampled = ((spanContext?.traceFlags ?? 0) & TraceFlags.SAMPLED) !== 0;
  return sampled ? { trace: wire, sentAt: process.hrtime.bigint() } : { trace: wire };
}

/** The context the work an envelope starts runs in: the sender's, or a new root. Never throws. */
export function openTrace(fields: TraceFields): Context {
  return extractTraceContext(fields.trace);
}

/**
 * Posts `message`; a payload that cannot be cloned throws `PayloadNotCloneableError`
 * naming `what`, and nothing is delivered.
 */
export function post(port: Port, message: unknown, what: string, transfer?: readonly unknown[]): void {
  try {
    port.post(message, transfer);
  } catch (error) {
    throw isDataCloneError(error) ? new PayloadNotCloneableError(what, error) : error;
  }
}

/**
 * Posts `envelope` with the spans this thread holds riding along (`batched`: only once a
 * batch of them waits, for a reply, see `SpanOutbox.takeBatch`). If it cannot be sent, the
 * spans go back to the outbox (a later message carries them) and the error is thrown,
 * typed as in {@link post}.
 */
export function postWithSpans(port: Port, envelope: SpanFields, what: string, transfer?: readonly unknown[], batched = false): void {
  const outbox = threadOutbox();
  const spans = batched ? outbox?.takeBatch() : outbox?.take();
  if (spans) envelope.spans = spans;
  try {
    post(port, envelope, what, transfer);
  } catch (error) {
    if (spans) {
      delete envelope.spans;
      outbox!.accept(spans);
    }
    throw error;
  }
}

/** Attaches the spans this thread holds to an envelope another layer will post (a task's response). */
export function attachSpans(envelope: SpanFields): void {
  const spans = threadOutbox()?.take();
  if (spans) envelope.spans = spans;
}

/** Takes the spans an arriving envelope carries into this thread's outbox; returns them. */
export function openSpans(envelope: object): SpanPacket | undefined {
  const spans = (envelope as SpanFields).spans;
  if (spans) threadOutbox()?.accept(spans);
  return spans;
}
