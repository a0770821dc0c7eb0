import type { BaggageEntry, Context, SpanContext, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { createContextKey, propagation, trace } from './opentelemetry';
import { W3CTraceState } from './trace-state';

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

/** The trace flags this version of the specification defines: sampled and random trace id. */
export const KNOWN_TRACE_FLAGS = 0x03;

/**
 * Whether a span context has ids W3C accepts (lower-case hex of the right length, not all
 * zeros). Anything else, a context set by hand with missing ids included, is invalid: the
 * API's check, without its regular expressions, for every message sent.
 */
export function isValidSpanContext(spanContext: SpanContext): boolean {
  const { traceId, spanId } = spanContext;
  return (
    typeof traceId === 'string' &&
    typeof spanId === 'string' &&
    traceId.length === 32 &&
    spanId.length === 16 &&
    traceId !== INVALID_TRACE_ID &&
    spanId !== INVALID_SPAN_ID &&
    isLowerHex(traceId, 0, 32) &&
    isLowerHex(spanId, 0, 16)
  );
}

/**
 * Parses a `traceparent` value as https://www.w3.org/TR/trace-context-2/#traceparent-header
 * says: version `00` is exactly 55 characters; a higher version (not `ff`) is at least 55,
 * and what follows the flags must start with a dash, the rest unread. Lower-case hex only,
 * no all-zero ids. `undefined` for anything else: the trace restarts.
 */
export function parseTraceparent(value: string): SpanContext | undefined {
  if (value.length < 55 || value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return undefined;
  if (!isLowerHex(value, 0, 2) || !isLowerHex(value, 3, 35) || !isLowerHex(value, 36, 52) || !isLowerHex(value, 53, 55)) return undefined;
  const version = value.slice(0, 2);
  if (version === 'ff') return undefined;
  if (version === '00' ? value.length !== 55 : value.length > 55 && value[55] !== '-') return undefined;
  const traceId = value.slice(3, 35);
  const spanId = value.slice(36, 52);
  if (traceId === INVALID_TRACE_ID || spanId === INVALID_SPAN_ID) return undefined;
  // A higher version's flags may hold bits this version does not define: only ours are read.
  const flags = parseInt(value.slice(53, 55), 16);
  return { traceId, spanId, traceFlags: version === '00' ? flags : flags & KNOWN_TRACE_FLAGS, isRemote: true };
}

/** A header's one value: `undefined` when it is missing, or given more than once (which W3C treats as invalid). */
function singleValue(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return value;
}

/** RFC 9110 optional whitespace around a field value. */
const OWS = /^[ \t]+|[ \t]+$/g;

/** `value` without optional whitespace around it; the regular expression runs only when there is some. */
function trimOws(value: string): string {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  return first === 32 || first === 9 || last === 32 || last === 9 ? value.replace(OWS, '') : value;
}

/** W3C header values, as `inject` writes them. */
export interface W3CHeaders {
  traceparent?: string;
  tracestate?: string;
  baggage?: string;
}

/** Two lower-case hex digits per byte value. */
const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

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
  readonly #inProcess: boolean;

  /**
   * With `inProcess`, an extracted parent is marked local (`isRemote: false`): the carrier
   * crossed a thread of the same process, not a service boundary, so the span it starts is
   * not its trace's local root.
   */
  constructor(options: { readonly inProcess?: boolean } = {}) {
    this.#inProcess = options.inProcess ?? false;
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const headers = this.headersOf(context);
    if (headers === undefined) return;
    if (headers.traceparent !== undefined) setter.set(carrier, TRACEPARENT_HEADER, headers.traceparent);
    if (headers.tracestate !== undefined) setter.set(carrier, TRACESTATE_HEADER, headers.tracestate);
    if (headers.baggage !== undefined) setter.set(carrier, BAGGAGE_HEADER, headers.baggage);
  }

  /**
   * The headers `inject` would set for `context` (with `spanContext` in place of its
   * span's, when given), as one object; `undefined` when there are none (no valid span
   * context and no baggage, or tracing suppressed).
   */
  headersOf(context: Context, spanContext: SpanContext | undefined = trace.getSpanContext(context)): W3CHeaders | undefined {
    if (isTracingSuppressed(context)) return undefined;
    let headers: W3CHeaders | undefined;
    if (spanContext && isValidSpanContext(spanContext)) {
      // Unknown flags are sent as zero, whatever arrived (W3C: "Vendors MUST set those to zero").
      headers = { traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-${BYTE_HEX[spanContext.traceFlags & KNOWN_TRACE_FLAGS]}` };
      const traceState = spanContext.traceState?.serialize();
      if (traceState) headers.tracestate = traceState;
    }
    const baggage = propagation.getBaggage(context);
    if (baggage) {
      const header = serializeBaggage(baggage.getAllEntries());
      if (header) (headers ??= {}).baggage = header;
    }
    return headers;
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const traceparent = singleValue(getter.get(carrier, TRACEPARENT_HEADER));
    // Only with a valid traceparent is tracestate read; several header lines are one list.
    let extracted = this.withTraceparent(context, traceparent, getter.get(carrier, TRACESTATE_HEADER));
    const baggage = getter.get(carrier, BAGGAGE_HEADER);
    const baggageHeader = Array.isArray(baggage) ? baggage.join(',') : baggage;
    if (typeof baggageHeader === 'string' && baggageHeader) {
      const entries = parseBaggage(baggageHeader);
      if (Object.keys(entries).length > 0) extracted = propagation.setBaggage(extracted, propagation.createBaggage(entries));
    }
    return extracted;
  }

  /**
   * `context` with the span context of a `traceparent` value (and of `tracestate`, read
   * only when that is valid), or `context` as it was when the value is not valid.
   */
  withTraceparent(context: Context, traceparent: unknown, tracestate?: unknown): Context {
    const spanContext = typeof traceparent === 'string' ? parseTraceparent(trimOws(traceparent)) : undefined;
    if (spanContext === undefined) return context;
    const traceState = typeof tracestate === 'string' || Array.isArray(tracestate) ? W3CTraceState.parse(tracestate) : undefined;
    if (traceState) spanContext.traceState = traceState;
    if (this.#inProcess) spanContext.isRemote = false;
    return trace.setSpanContext(context, spanContext);
  }

  fields(): string[] {
    return [TRACEPARENT_HEADER, TRACESTATE_HEADER, BAGGAGE_HEADER];
  }
}

