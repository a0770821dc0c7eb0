/**
 * A worker thread's relay: spans leave as objects, or (with the OTLP exporter) encoded by
 * the thread that recorded them, joined with packets from threads below, under a bound.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { encodeScopeSpans, encodeTraceExportRequest } from '../../../dist/telemetry/export/otlp-encoder';
import { isEncoded, isPacked, markOfPacket, type EncodedSpans, type SpanPacket } from '../../../dist/protocol/span-packet';
import { SpanRelay } from '../../../dist/telemetry/relay/span-relay';
import type { WireSpan } from '../../../dist/protocol/span-packet';
import { decodeExportTraceServiceRequest } from '../../../dist/tests/support/otlp-receiver';

let nextId = 1;
function wireSpan(name: string, failed = false): WireSpan {
  const spanId = (nextId++).toString(16).padStart(16, '0');
  return {
    name,
    kind: SpanKind.SERVER,
    context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId, traceFlags: 1 },
    startTime: [1_700_000_000, 5],
    endTime: [1_700_000_000, 905],
    status: { code: failed ? SpanStatusCode.ERROR : SpanStatusCode.UNSET },
    attributes: { 'thread.id': 3 },
    events: [],
    links: [],
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    scope: { name: 'worker-otp', version: '0.1.0' },
  };
}

const resource = resourceFromAttributes({ 'service.name': 'relay-test' });
const names = (packet: SpanPacket | undefined) => {
  if (packet === undefined || !isEncoded(packet)) throw new Error('expected an encoded packet');
  return decodeExportTraceServiceRequest(encodeTraceExportRequest([packet], resource)).map((span) => `${span.name}@${span.resource['service.name']}`);
};

it('encodes what it holds into one packet, marking the last failed span for restarts', () => {
  const relay = new SpanRelay({ encode: encodeScopeSpans });
  const spans = [wireSpan('a'), wireSpan('b', true), wireSpan('c')];
  relay.accept(spans);
  const packet = relay.take() as EncodedSpans;
  expect(packet.count).toBe(3);
  expect(packet.mark).toEqual({ traceId: spans[1]!.context.traceId, spanId: spans[1]!.context.spanId, traceFlags: 1, failed: true });
  expect(names(packet)).toEqual(['a@relay-test', 'b@relay-test', 'c@relay-test']);
  expect(relay.take()).toBeUndefined();
});

it('joins packets encoded below with its own spans, in order', () => {
  const relay = new SpanRelay({ encode: encodeScopeSpans });
  const below: EncodedSpans = { otlp: encodeScopeSpans([wireSpan('below')]), count: 1, mark: { traceId: 'x', spanId: 'y', traceFlags: 1, failed: false } };
  relay.accept(below);
  relay.accept([wireSpan('here')]);
  const packet = relay.take() as EncodedSpans;
  expect(packet.count).toBe(2);
  expect(names(packet)).toEqual(['below@relay-test', 'here@relay-test']);
});

it('packs spans flat without an encoder, and the exporting thread\'s relay delivers them as they were', () => {
  const relay = new SpanRelay();
  const spans = [wireSpan('plain'), wireSpan('failed', true)];
  relay.accept(spans);
  const packet = relay.take()!;
  expect(isPacked(packet)).toBe(true);
  expect(markOfPacket(packet)).toEqual({ traceId: spans[1]!.context.traceId, spanId: spans[1]!.context.spanId, traceFlags: 1, failed: true });
  const delivered: unknown[] = [];
  new SpanRelay({ deliver: (arrived) => delivered.push(arrived) }).accept(packet);
  expect(delivered).toEqual([spans]);
});

it('drops past maxPending and counts it: objects one by one, an encoded packet whole', () => {
  const relay = new SpanRelay({ encode: encodeScopeSpans, maxPending: 4 });
  relay.accept([wireSpan('1'), wireSpan('2'), wireSpan('3')]);
  relay.accept({ otlp: encodeScopeSpans([wireSpan('x'), wireSpan('y')]), count: 2, mark: { traceId: 'x', spanId: 'y', traceFlags: 1, failed: false } });
  relay.accept([wireSpan('4'), wireSpan('5')]);
  expect(relay.droppedSpans).toBe(3);
  expect(names(relay.take())).toEqual(['1@relay-test', '2@relay-test', '3@relay-test', '4@relay-test']);
});

it('gives a reply the spans only once a batch of them waits; take gives them at any count', () => {
  const relay = new SpanRelay({ encode: encodeScopeSpans, rideBatch: 3 });
  relay.accept([wireSpan('1'), wireSpan('2')]);
  expect(relay.takeBatch()).toBeUndefined();
  relay.accept([wireSpan('3')]);
  expect(names(relay.takeBatch())).toEqual(['1@relay-test', '2@relay-test', '3@relay-test']);
  relay.accept([wireSpan('4')]);
  expect(relay.takeBatch()).toBeUndefined();
  expect(names(relay.take())).toEqual(['4@relay-test']);
});
