/**
 * W3C Trace Context (levels 1 and 2) and Baggage, table-driven from the specification's
 * rules (https://www.w3.org/TR/trace-context-2/) and its test suite's cases.
 */
import { ROOT_CONTEXT, TraceFlags, trace, type Context, type TextMapGetter } from '@opentelemetry/api';
import { W3CTraceState } from '../../dist/propagation/trace-state';
import { W3CPropagator, parseTraceparent } from '../../dist/propagation/w3c-propagator';

const TRACE_ID = '12345678901234567890123456789012';
const SPAN_ID = '1234567890123456';
const propagator = new W3CPropagator();

/** A carrier as HTTP headers come: a value, or several lines of it. */
type Headers = Record<string, string | string[]>;
const getter: TextMapGetter<Headers> = { keys: (carrier) => Object.keys(carrier), get: (carrier, key) => carrier[key] };
const extract = (headers: Headers): Context => propagator.extract(ROOT_CONTEXT, headers, getter);
const inject = (ctx: Context): Record<string, string> => {
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, { set: (target, key, value) => (target[key] = value) });
  return carrier;
};

describe('traceparent', () => {
  it.each([
    ['version 00, sampled', `00-${TRACE_ID}-${SPAN_ID}-01`, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 }],
    ['version 00, not sampled', `00-${TRACE_ID}-${SPAN_ID}-00`, { traceFlags: 0 }],
    ['version 00, random trace id flag', `00-${TRACE_ID}-${SPAN_ID}-03`, { traceFlags: 3 }],
    ['a future version', `cc-${TRACE_ID}-${SPAN_ID}-01`, { traceId: TRACE_ID, traceFlags: 1 }],
    ['a future version with more fields', `cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-will-be-like`, { traceId: TRACE_ID }],
    ['a future version: only the flags this version defines are read', `cc-${TRACE_ID}-${SPAN_ID}-ff`, { traceFlags: 3 }],
  ])('parses %s', (_label, header, expected) => {
    expect(parseTraceparent(header)).toEqual(expect.objectContaining({ ...expected, isRemote: true }));
  });

  it.each([
    ['version 00 with trailing characters', `00-${TRACE_ID}-${SPAN_ID}-01.`],
    ['version 00 with more fields', `00-${TRACE_ID}-${SPAN_ID}-01-what-the-future-will-be-like`],
    ['a future version followed by something other than a dash', `cc-${TRACE_ID}-${SPAN_ID}-01.what-the-future-will-be-like`],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['illegal characters in the version', `.0-${TRACE_ID}-${SPAN_ID}-01`],
    ['a version too long', `000-${TRACE_ID}-${SPAN_ID}-01`],
    ['a version too short', `0-${TRACE_ID}-${SPAN_ID}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['illegal characters in the trace id', `00-.${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['a trace id too long', `00-${TRACE_ID}3-${SPAN_ID}-01`],
    ['a trace id too short', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['illegal characters in the parent id', `00-${TRACE_ID}-.${SPAN_ID.slice(1)}-01`],
    ['a parent id too long', `00-${TRACE_ID}-${SPAN_ID}7-01`],
    ['a parent id too short', `00-${TRACE_ID}-${SPAN_ID.slice(1)}-01`],
    ['illegal characters in the flags', `00-${TRACE_ID}-${SPAN_ID}-.0`],
    ['flags too long', `00-${TRACE_ID}-${SPAN_ID}-001`],
    ['upper-case hex', `00-${TRACE_ID.replace(/1/g, 'A')}-${SPAN_ID}-01`.replace('12', 'AB')],
  ])('restarts the trace for %s', (_label, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
    expect(trace.getSpanContext(extract({ traceparent: header, tracestate: 'foo=1' }))).toBeUndefined();
  });

  it('restarts the trace when traceparent comes twice', () => {
    expect(trace.getSpanContext(extract({ traceparent: [`00-${TRACE_ID}-${SPAN_ID}-01`, `00-${'2'.repeat(32)}-${SPAN_ID}-01`] }))).toBeUndefined();
  });

  it('sends version 00, the flags this version defines and nothing else', () => {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0xff });
    expect(inject(ctx).traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-03`);
  });

  it('sends an unsampled context with flags 00, and its trace state', () => {
    const ctx = extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-00`, tracestate: 'rojo=00f067aa0ba902b7' });
    expect(inject(ctx)).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-00`, tracestate: 'rojo=00f067aa0ba902b7' });
  });

  it('sends a future version as version 00', () => {
    expect(inject(extract({ traceparent: `cc-${TRACE_ID}-${SPAN_ID}-01-future` })).traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-01`);
  });

  it('never throws on a context set by hand without ids: it sends nothing', () => {
    expect(inject(trace.setSpanContext(ROOT_CONTEXT, {} as never))).toEqual({});
  });

  it('keeps the sampled and random flags of a parent it continues', () => {
    const ctx = extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-02` });
    expect(trace.getSpanContext(ctx)?.traceFlags).toBe(TraceFlags.NONE | 0x02);
  });
});

describe('tracestate', () => {
  const parent = `00-${TRACE_ID}-${SPAN_ID}-00`;
  const stateOf = (tracestate: string | string[]) => trace.getSpanContext(extract({ traceparent: parent, tracestate }))?.traceState;

  it.each([
    ['one member', 'foo=1', 'foo=1'],
    ['members in order', 'foo=1,bar=2', 'foo=1,bar=2'],
    ['several header lines, combined in order', ['foo=1,bar=2', 'rojo=1,congo=2', 'baz=3'], 'foo=1,bar=2,rojo=1,congo=2,baz=3'],
    ['an empty line among others', ['', 'foo=1'], 'foo=1'],
    ['optional whitespace around members', 'foo=1 \t , \t bar=2, \t baz=3', 'foo=1,bar=2,baz=3'],
    ['leading and trailing whitespace', '\t foo=1 \t', 'foo=1'],
    ['empty members', 'foo=1,,  ,bar=2', 'foo=1,bar=2'],
    ['a key with at signs (level 2)', 'foo@=1,bar=2,foo@@bar=3,foo@bar@baz=4', 'foo@=1,bar=2,foo@@bar=3,foo@bar@baz=4'],
    ['a key starting with a digit', '0ab=1', '0ab=1'],
    ['a value with leading spaces and every printable character but , and =', 'foo= a!"#$%&\'()*+-./:;<>?@[\\]^_`{|}~z', 'foo= a!"#$%&\'()*+-./:;<>?@[\\]^_`{|}~z'],
    ['a duplicate key: the first is kept', 'foo=1,foo=2', 'foo=1'],
    ['a 256-character key', `${'z'.repeat(256)}=1`, `${'z'.repeat(256)}=1`],
    ['32 members', Array.from({ length: 32 }, (_, index) => `k${index}=${index}`).join(','), Array.from({ length: 32 }, (_, index) => `k${index}=${index}`).join(',')],
  ])('keeps %s', (_label, header, expected) => {
    expect(stateOf(header)?.serialize()).toBe(expected);
  });

  it.each([
    ['a member without =', 'foo,bar=2'],
    ['an empty value', 'foo=,bar=3'],
    ['a value with =', 'foo=bar=baz'],
    ['an upper-case key', 'FOO=1'],
    ['a key with a dot', 'foo.bar=1'],
    ['a key with a space inside', 'foo =1'],
    ['a key starting with @', '@foo=1,bar=2'],
    ['a 257-character key', `foo=1,${'z'.repeat(257)}=1`],
    ['33 members', Array.from({ length: 33 }, (_, index) => `k${index}=${index}`).join(',')],
    ['33 members over several lines', [Array.from({ length: 30 }, (_, index) => `k${index}=1`).join(','), 'a=1,b=2,c=3']],
    ['a value with a control character', 'foo=a\u0001b'],
    ['a value of 257 characters', `foo=${'v'.repeat(257)}`],
    ['an empty header', ''],
  ])('discards the whole list for %s', (_label, header) => {
    expect(stateOf(header)).toBeUndefined();
  });

  it('is not read when traceparent is invalid', () => {
    expect(trace.getSpanContext(extract({ traceparent: 'junk', tracestate: 'foo=1' }))).toBeUndefined();
  });

  it('is immutable: set moves the key to the left and keeps at most 32 members, unset removes it', () => {
    const state = W3CTraceState.parse(Array.from({ length: 32 }, (_, index) => `k${index}=${index}`).join(','))!;
    const added = state.set('new', 'x');
    expect(added.serialize().split(',')).toHaveLength(32);
    expect(added.serialize().startsWith('new=x,k0=0')).toBe(true);
    expect(added.serialize()).not.toContain('k31=');
    expect(state.set('k5', 'y').serialize().startsWith('k5=y,k0=0')).toBe(true);
    expect(state.unset('k0').get('k0')).toBeUndefined();
    expect(state.get('k0')).toBe('0');
    expect(state.set('BAD KEY', 'x')).toBe(state);
  });
});

describe('baggage', () => {
  it('round-trips entries, several header lines combined', () => {
    const ctx = extract({ baggage: ['tenant=acme', 'user=42;meta=1'] });
    expect(inject(ctx).baggage).toBe('tenant=acme,user=42;meta=1');
  });
});
