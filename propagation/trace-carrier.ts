import type { Context, SpanContext, TextMapGetter } from '@opentelemetry/api';
import { ROOT_CONTEXT, context as contextApi, diag } from './opentelemetry';
import { BAGGAGE_HEADER, TRACEPARENT_HEADER, TRACESTATE_HEADER, W3CPropagator, type W3CHeaders } from './w3c-propagator';

export { BAGGAGE_HEADER, TRACEPARENT_HEADER, TRACESTATE_HEADER };

/**
 * The trace context a message carries across a thread boundary, as W3C header values.
 * Plain strings, so it survives structured cloning unchanged.
 */
export type TraceCarrier = W3CHeaders;

/**
 * What a message envelope holds in its trace field: the `traceparent` value alone when
 * that is all there is (one string is the cheapest thing to clone: ~0.3 µs less per
 * message than the object, measured), else the headers; `undefined`: no context at all.
 */
export type WireContext = TraceCarrier | string | undefined;

const propagator = new W3CPropagator({ inProcess: true });

const carrierGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  // Only strings are header values: anything else that arrived over the wire is ignored.
  get: (carrier, key) => {
    const value = carrier[key];
    return typeof value === 'string' ? value : undefined;
  },
};

/**
 * Captures `ctx` (with `spanContext` as its span's, when given: no context is made just to
 * carry it) for a message leaving this thread, as W3C header values (see
 * {@link WireContext}): `traceparent` and `tracestate` whether the trace is sampled or not
 * (W3C: a participant MUST propagate them, so a decision made upstream holds downstream),
 * and `baggage`.
 *
 * With no valid span context and no baggage (tracing off, nothing active, or a context set
 * by hand without ids) it returns `undefined`: nothing rides along.
 */
export function injectTraceCarrier(ctx: Context = contextApi.active(), spanContext?: SpanContext): WireContext {
  const headers = propagator.headersOf(ctx, spanContext);
  return headers?.tracestate === undefined && headers?.baggage === undefined ? headers?.traceparent : headers;
}

/**
 * Rebuilds the sender's context (a {@link WireContext}) on the receiving side, on top of `base` (the root
 * context by default, so nothing of the receiver's own state leaks into the handler). The
 * sender's span is a local parent (`isRemote: false`): the message came from a thread of
 * this process.
 *
 * Never throws. A missing or malformed `traceparent` (bad version, all-zero ids, wrong
 * length, non-hex, a non-string) yields a context with no parent span, so the next span
 * starts a new root trace; malformed baggage is dropped. An unsampled parent is kept as
 * it is: spans under it are not recorded, and its ids and trace state travel on.
 */
export function extractTraceContext(wire: unknown, base: Context = ROOT_CONTEXT): Context {
  if (typeof wire === 'string') return propagator.withTraceparent(base, wire);
  if (wire === null || typeof wire !== 'object' || Array.isArray(wire)) return base;
  try {
    return propagator.extract(base, wire as Record<string, unknown>, carrierGetter);
  } catch (error) {
    // The propagator does not throw on bad input; this guards against a getter that does.
    diag.debug('worker-otp: ignoring an unreadable trace context', error);
    return base;
  }
}
