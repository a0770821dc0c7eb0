import type { Context, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { ROOT_CONTEXT, TraceFlags, context as contextApi, diag, propagation, trace } from './opentelemetry';
import { BAGGAGE_HEADER, TRACEPARENT_HEADER, TRACESTATE_HEADER, W3CPropagator, isValidSpanContext, suppressTracing } from './w3c-propagator';

export { BAGGAGE_HEADER, TRACEPARENT_HEADER, TRACESTATE_HEADER };

/**
 * The trace context a message carries across a thread boundary, as W3C header values.
 * Plain strings, so it survives structured cloning unchanged.
 */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
  baggage?: string;
}

/**
 * Marks a message whose sender's trace was not sampled. It lets the receiver follow the
 * sender's "do not record" decision (as a parent-based sampler would) without the sender
 * serialising its context: a single number instead of header strings.
 */
export const UNSAMPLED = 0;

/** What a message envelope holds in its trace field. `undefined`: no context at all. */
export type WireContext = TraceCarrier | typeof UNSAMPLED | undefined;

const propagator = new W3CPropagator();

const carrierSetter: TextMapSetter<TraceCarrier> = {
  set(carrier, key, value) {
    if (key === TRACEPARENT_HEADER || key === TRACESTATE_HEADER || key === BAGGAGE_HEADER) {
      carrier[key] = value;
    }
  },
};

const carrierGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  // Only strings are header values: anything else that arrived over the wire is ignored.
  get: (carrier, key) => {
    const value = carrier[key];
    return typeof value === 'string' ? value : undefined;
  },
};

/**
 * Captures `ctx` for a message leaving this thread.
 *
 * The check comes first and is cheap: with no span context and no baggage (tracing off,
 * or nothing active) it returns `undefined`; with an unsampled span and no baggage it
 * returns {@link UNSAMPLED}. Only a sampled context, or one with baggage, is serialised.
 */
export function injectTraceCarrier(ctx: Context = contextApi.active()): WireContext {
  const spanContext = trace.getSpanContext(ctx);
  const hasBaggage = propagation.getBaggage(ctx) !== undefined;
  if (!hasBaggage) {
    if (spanContext === undefined || !isValidSpanContext(spanContext)) return undefined;
    if ((spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return UNSAMPLED;
  }
  const carrier: TraceCarrier = {};
  propagator.inject(ctx, carrier, carrierSetter);
  return carrier;
}

/**
 * Rebuilds the sender's context on the receiving side, on top of `base` (the root
 * context by default, so nothing of the receiver's own state leaks into the handler).
 *
 * Never throws. A missing or malformed `traceparent` (bad version, all-zero ids, wrong
 * length, non-hex, a non-string) yields a context with no parent span, so the next span
 * starts a new root trace; malformed baggage is dropped. {@link UNSAMPLED} yields a
 * context in which tracing is suppressed, so nothing is recorded for that message.
 */
export function extractTraceContext(wire: unknown, base: Context = ROOT_CONTEXT): Context {
  if (wire === UNSAMPLED) return suppressTracing(base);
  if (wire === null || typeof wire !== 'object' || Array.isArray(wire)) return base;
  try {
    return propagator.extract(base, wire as Record<string, unknown>, carrierGetter);
  } catch (error) {
    // The propagator does not throw on bad input; this guards against a getter that does.
    diag.debug('worker-otp: ignoring an unreadable trace context', error);
    return base;
  }
}
