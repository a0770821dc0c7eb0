import type { BaggageEntry, Context, SpanContext, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { createContextKey, createTraceState, propagation, trace } from './opentelemetry';

/** W3C Trace Context header, https://www.w3.org/TR/trace-context/#traceparent-header */
export const TRACEPARENT_HEADER = 'traceparent';
/** W3C Trace Context vendor state, https://www.w3.org/TR/trace-context/#tracestate-header */
export const TRACESTATE_HEADER = 'tracestate';
/** W3C Baggage header, https://www.w3.org/TR/baggage/#baggage-http-header-format */
export const BAGGAGE_HEADER = 'baggage';

/**
 * The key under which the OpenTelemetry SDK marks a context whose work must not be
 * traced. `createContextKey` uses `Symbol.for`, so this is the SDK's very key: a context
 * suppressed here is suppressed for the SDK too, and the other way round.
 */
const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** A context in which nothing is traced (the SDK's `suppressTracing`). */
export function suppressTracing(context: Context): Context {
  return context.setValue(SUPPRESS_TRACING_KEY, true);
}

/** Whether tracing is suppressed in `context` (the SDK's `isTracingSuppressed`). */
export function isTracingSuppressed(context: Context): boolean {
  return context.getValue(SUPPRESS_TRACING_KEY) === true;
}

// https://www.w3.org/TR/trace-context/#traceparent-header-field-values: lower-case hex only;
// a future version may append fields after the flags, version 00 may not.
const TRACEPARENT = /^\s?([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?\s?$/;

/** Whether `value[start, end)` is lower-case hex. */
function isLowerHex(value: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = value.charCodeAt(index);
    if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) return false;
  }
  return true;
}

const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/**
 * Whether a span context has ids W3C accepts (lower-case hex of the right length, not all
 * zeros): the API's check, without its regular expressions, for every message sent.
 */
export function isValidSpanContext(spanContext: SpanContext): boolean {
  const { traceId, spanId } = spanContext;
  return (
    traceId.length === 32 &&
    spanId.length === 16 &&
    traceId !== INVALID_TRACE_ID &&
    spanId !== INVALID_SPAN_ID &&
    isLowerHex(traceId, 0, 32) &&
    isLowerHex(spanId, 0, 16)
  );
}

/** Parses a `traceparent` value; `undefined` for anything the specification rejects. */
export function parseTraceparent(value: string): SpanContext | undefined {
  // The form every message of this runtime carries (version 00, 55 characters), checked
  // without the regular expression; anything else takes the general path.
  if (value.length === 55 && value.startsWith('00-') && value[35] === '-' && value[52] === '-' && isLowerHex(value, 3, 35) && isLowerHex(value, 36, 52) && isLowerHex(value, 53, 55)) {
    const spanContext: SpanContext = { traceId: value.slice(3, 35), spanId: value.slice(36, 52), traceFlags: parseInt(value.slice(53), 16), isRemote: true };
    return spanContext.traceId !== INVALID_TRACE_ID && spanContext.spanId !== INVALID_SPAN_ID ? spanContext : undefined;
  }
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  const spanContext: SpanContext = { traceId: traceId!, spanId: spanId!, traceFlags: parseInt(flags!, 16), isRemote: true };
  return isValidSpanContext(spanContext) ? spanContext : undefined;
}

/** Baggage limits of https://www.w3.org/TR/baggage/#limits */
const MAX_BAGGAGE_ENTRIES = 180;
const MAX_BAGGAGE_BYTES = 8192;

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.trim());
  } catch {
    return undefined;
  }
}

function parseBaggage(header: string): Record<string, BaggageEntry> {
  const entries: Record<string, BaggageEntry> = {};
  for (const member of header.split(',').slice(0, MAX_BAGGAGE_ENTRIES)) {
    const [pair, ...properties] = member.split(';');
    const separator = pair?.indexOf('=') ?? -1;
    if (separator <= 0) continue;
    const key = decode(pair!.slice(0, separator));
    const value = decode(pair!.slice(separator + 1));
    if (!key || value === undefined) continue;
    const metadata = properties.join(';').trim();
    entries[key] = metadata ? { value, metadata: { toString: () => metadata } as BaggageEntry['metadata'] } : { value };
  }
  return entries;
}

function serializeBaggage(entries: Array<[string, BaggageEntry]>): string {
  const members: string[] = [];
  let bytes = 0;
  for (const [key, entry] of entries.slice(0, MAX_BAGGAGE_ENTRIES)) {
    const metadata = entry.metadata?.toString();
    const member = `${encodeURIComponent(key)}=${encodeURIComponent(entry.value)}${metadata ? `;${metadata}` : ''}`;
    if (bytes + member.length + 1 > MAX_BAGGAGE_BYTES) break;
    bytes += member.length + 1;
    members.push(member);
  }
  return members.join(',');
}

/**
 * W3C Trace Context and W3C Baggage in one propagator, written for worker-otp so that a
 * worker thread needs only `@opentelemetry/api` to carry context (the SDK's propagators
 * come with `@opentelemetry/core`, whose loading alone costs a thread ~17 ms). Never
 * throws: bad input leaves the context as it was.
 */
export class W3CPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (spanContext && isValidSpanContext(spanContext) && !isTracingSuppressed(context)) {
      const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
      setter.set(carrier, TRACEPARENT_HEADER, `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`);
      const traceState = spanContext.traceState?.serialize();
      if (traceState) setter.set(carrier, TRACESTATE_HEADER, traceState);
    }
    const baggage = propagation.getBaggage(context);
    if (baggage && !isTracingSuppressed(context)) {
      const header = serializeBaggage(baggage.getAllEntries());
      if (header) setter.set(carrier, BAGGAGE_HEADER, header);
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    let extracted = context;
    const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
    const traceparent = first(getter.get(carrier, TRACEPARENT_HEADER));
    const spanContext = typeof traceparent === 'string' ? parseTraceparent(traceparent) : undefined;
    if (spanContext) {
      const tracestate = first(getter.get(carrier, TRACESTATE_HEADER));
      if (typeof tracestate === 'string' && tracestate) spanContext.traceState = createTraceState(tracestate);
      extracted = trace.setSpanContext(extracted, spanContext);
    }
    const baggage = first(getter.get(carrier, BAGGAGE_HEADER));
    if (typeof baggage === 'string' && baggage) {
      const entries = parseBaggage(baggage);
      if (Object.keys(entries).length > 0) extracted = propagation.setBaggage(extracted, propagation.createBaggage(entries));
    }
    return extracted;
  }

  fields(): string[] {
    return [TRACEPARENT_HEADER, TRACESTATE_HEADER, BAGGAGE_HEADER];
  }
}

