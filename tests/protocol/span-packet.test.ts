/** Spans packed flat for the crossing between threads come back as they were, every field. */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { packSpan, unpackSpan, type WireSpan } from '../../dist/protocol/span-packet';

const full: WireSpan = {
  name: 'cache.handle_call',
  kind: SpanKind.SERVER,
  context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 3, traceState: 'vendor=x' },
  parent: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '00f067aa0ba902b7', traceFlags: 1, traceState: 'vendor=y', isRemote: true },
  startTime: [1_700_000_000, 123_456_789],
  endTime: [1_700_000_001, 5],
  status: { code: SpanStatusCode.ERROR, message: 'RangeError: kaboom' },
  attributes: { 'thread.id': 3, 'thread.name': 'cache', ok: false, ratio: 0.25, tags: ['a', 'b'], counts: [1, 2] },
  events: [{ name: 'exception', time: [1_700_000_000, 200], attributes: { 'exception.message': 'kaboom' }, droppedAttributesCount: 0 }],
  links: [{ context: { traceId: '1af7651916cd43dd8448eb211c80319c', spanId: 'c7ad6b7169203331', traceFlags: 1 }, attributes: { why: 'restart' } }],
  droppedAttributesCount: 2,
  droppedEventsCount: 1,
  droppedLinksCount: 0,
  scope: { name: 'worker-otp', version: '0.2.0', schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
};

const bare: WireSpan = {
  name: 'root',
  kind: SpanKind.INTERNAL,
  context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 },
  startTime: [1_700_000_000, 0],
  endTime: [1_700_000_000, 1],
  status: { code: SpanStatusCode.UNSET },
  attributes: {},
  events: [],
  links: [],
  droppedAttributesCount: 0,
  droppedEventsCount: 0,
  droppedLinksCount: 0,
  scope: { name: 'app', version: undefined, schemaUrl: undefined },
};

it.each([
  ['with every field', full],
  ['a root with nothing optional', bare],
])('round-trips a span %s through a real structured clone', (_label, span) => {
  expect(unpackSpan(structuredClone(packSpan(span)))).toEqual(span);
});

it('packs into plain values only: one flat array, the attributes a flat list', () => {
  const packed = packSpan(full);
  expect(packed.every((value) => value === undefined || typeof value !== 'object' || Array.isArray(value))).toBe(true);
  expect(packed).toContain('cache.handle_call');
});
