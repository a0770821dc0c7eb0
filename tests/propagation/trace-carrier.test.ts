import { ROOT_CONTEXT, TraceFlags, propagation, trace, type Context } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { extractTraceContext, injectTraceCarrier } from '../../dist/propagation/trace-carrier';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;

function withSpan(traceFlags: TraceFlags, base: Context = ROOT_CONTEXT): Context {
  return trace.setSpanContext(base, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags });
}

function withBaggage(base: Context): Context {
  return propagation.setBaggage(base, propagation.createBaggage({ tenant: { value: 'acme' } }));
}

describe('injectTraceCarrier', () => {
  it('carries nothing when no span and no baggage are active (tracing off)', () => {
    expect(injectTraceCarrier(ROOT_CONTEXT)).toBeUndefined();
  });

  it('carries an unsampled span as it is: traceparent with flags 00 (W3C: a participant MUST propagate it)', () => {
    // With nothing but a traceparent to carry, the value alone travels.
    expect(injectTraceCarrier(withSpan(TraceFlags.NONE))).toBe(`00-${TRACE_ID}-${SPAN_ID}-00`);
  });

  it.each([
    ['an empty span context set by hand', {}],
    ['ids of the wrong type', { traceId: 42, spanId: null, traceFlags: 1 }],
    ['all-zero ids', { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 }],
  ])('carries nothing, and does not throw, for %s', (_label, spanContext) => {
    expect(injectTraceCarrier(trace.setSpanContext(ROOT_CONTEXT, spanContext as never))).toBeUndefined();
  });

  it('carries a W3C traceparent for a sampled span', () => {
    expect(injectTraceCarrier(withSpan(TraceFlags.SAMPLED))).toBe(VALID);
  });

  it('carries tracestate alongside traceparent', () => {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      traceState: extractTraceState('vendor=value'),
    });
    expect(injectTraceCarrier(ctx)).toEqual({ traceparent: VALID, tracestate: 'vendor=value' });
  });

  it('carries baggage even when the span is unsampled, with the span context', () => {
    const carrier = injectTraceCarrier(withBaggage(withSpan(TraceFlags.NONE)));
    expect(carrier).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-00`, baggage: 'tenant=acme' });
  });

  it('carries baggage with no span at all', () => {
    expect(injectTraceCarrier(withBaggage(ROOT_CONTEXT))).toEqual({ baggage: 'tenant=acme' });
  });
});

function extractTraceState(header: string) {
  const ctx = extractTraceContext({ traceparent: VALID, tracestate: header });
  return trace.getSpanContext(ctx)?.traceState;
}

describe('extractTraceContext', () => {
  it('rebuilds the parent from a valid traceparent, as a local one: it came from a thread of this process', () => {
    const spanContext = trace.getSpanContext(extractTraceContext({ traceparent: VALID }));
    expect(spanContext).toEqual(expect.objectContaining({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: false }));
  });

  it('rebuilds the parent from a traceparent value carried alone', () => {
    const spanContext = trace.getSpanContext(extractTraceContext(injectTraceCarrier(withSpan(TraceFlags.SAMPLED))));
    expect(spanContext).toEqual(expect.objectContaining({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: false }));
  });

  it('round-trips what inject produced, baggage included', () => {
    const sent = withBaggage(withSpan(TraceFlags.SAMPLED));
    const received = extractTraceContext(injectTraceCarrier(sent));
    expect(trace.getSpanContext(received)?.spanId).toBe(SPAN_ID);
    expect(propagation.getBaggage(received)?.getEntry('tenant')?.value).toBe('acme');
  });

  it('keeps tracestate entries', () => {
    expect(extractTraceState('a=1,b=2')?.get('b')).toBe('2');
  });

  it('accepts a future version with extra fields, as the spec requires', () => {
    const ctx = extractTraceContext({ traceparent: `cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-holds` });
    expect(trace.getSpanContext(ctx)?.traceId).toBe(TRACE_ID);
  });

  const malformed: Array<[string, unknown]> = [
    ['version ff (forbidden)', { traceparent: `ff-${TRACE_ID}-${SPAN_ID}-01` }],
    ['version 00 with extra fields', { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01-extra` }],
    ['all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${SPAN_ID}-01` }],
    ['all-zero parent id', { traceparent: `00-${TRACE_ID}-${'0'.repeat(16)}-01` }],
    ['short trace id', { traceparent: `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01` }],
    ['long parent id', { traceparent: `00-${TRACE_ID}-${SPAN_ID}0-01` }],
    ['non-hex trace id', { traceparent: `00-${'z'.repeat(32)}-${SPAN_ID}-01` }],
    ['upper-case hex', { traceparent: `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01` }],
    ['missing flags', { traceparent: `00-${TRACE_ID}-${SPAN_ID}` }],
    ['empty string', { traceparent: '' }],
    ['a number', { traceparent: 42 }],
    ['an object', { traceparent: { traceId: TRACE_ID } }],
    ['an array', { traceparent: [VALID] }],
    ['no traceparent', { tracestate: 'a=1' }],
    ['carrier is a malformed traceparent value', `00-${TRACE_ID}-${SPAN_ID}`],
    ['carrier is an empty string', ''],
    ['carrier is null', null],
    ['carrier is an array', [VALID]],
    ['carrier is a number', 7],
    ['carrier is undefined', undefined],
  ];

  it.each(malformed)('starts a new root for %s, without throwing', (_label, carrier) => {
    const ctx = extractTraceContext(carrier);
    expect(trace.getSpanContext(ctx)).toBeUndefined();
    expect(isTracingSuppressed(ctx)).toBe(false);
  });

  it('drops malformed baggage and keeps the valid traceparent', () => {
    const ctx = extractTraceContext({ traceparent: VALID, baggage: '=;;,==' });
    expect(trace.getSpanContext(ctx)?.traceId).toBe(TRACE_ID);
    expect(propagation.getBaggage(ctx)?.getAllEntries() ?? []).toEqual([]);
  });

  it('ignores an invalid tracestate and keeps the parent', () => {
    const ctx = extractTraceContext({ traceparent: VALID, tracestate: 42 });
    expect(trace.getSpanContext(ctx)?.spanId).toBe(SPAN_ID);
  });

  it('keeps an unsampled parent, its trace state included, without suppressing tracing', () => {
    const ctx = extractTraceContext({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-00`, tracestate: 'vendor=x' });
    expect(trace.getSpanContext(ctx)).toEqual(expect.objectContaining({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 }));
    expect(trace.getSpanContext(ctx)?.traceState?.serialize()).toBe('vendor=x');
    expect(isTracingSuppressed(ctx)).toBe(false);
  });
});
