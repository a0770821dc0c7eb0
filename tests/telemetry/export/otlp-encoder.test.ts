/**
 * The runtime's OTLP protobuf encoder against OpenTelemetry's own serializer as the
 * oracle: both outputs decoded field by field must hold the same spans, whatever the
 * attribute types, string lengths (lengths that need one, two and three bytes) and
 * span shapes.
 */
import { SpanKind, SpanStatusCode, context, createTraceState, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { Reader } from 'protobufjs/minimal';
import { encodeTraceExportRequest } from '../../../dist/telemetry/export/otlp-encoder';
import { decodeExportTraceServiceRequest, type DecodedSpan } from '../../../dist/tests/support/otlp-receiver';

function recordSpans(): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  for (const [index, serviceName] of ['cache', 'reports'].entries()) {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': serviceName, 'service.instance': index }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracers = [provider.getTracer('worker-otp', '0.1.0'), provider.getTracer('app')];
    const remoteParent = trace.setSpanContext(context.active(), {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
      traceState: createTraceState('vendor=a,other=b'),
    });
    tracers.forEach((tracer, tracerIndex) => {
      const root = tracer.startSpan('root ü', { kind: SpanKind.SERVER }, remoteParent);
      const child = tracer.startSpan(
        'child'.repeat(30),
        {
          kind: SpanKind.CLIENT,
          attributes: {
            text: 'plain',
            accents: 'héllo wörld ✓',
            long: 'x'.repeat(200),
            huge: 'y'.repeat(20_000),
            zero: 0,
            small: 7,
            negative: -42,
            big: 2 ** 40 + tracerIndex,
            minimum: Number.MIN_SAFE_INTEGER,
            fraction: 1.25,
            flag: false,
            strings: ['a', 'b'],
            numbers: [1, 2.5, -3],
            holes: ['a', null, 'c'] as string[],
          },
          links: [{ context: root.spanContext(), attributes: { reason: 'retry' } }],
        },
        trace.setSpan(context.active(), root),
      );
      child.addEvent('exception', { 'exception.message': 'boom', count: 3 });
      child.addEvent('plain');
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'failed: ✗' });
      child.end();
      root.setStatus({ code: SpanStatusCode.OK });
      root.end();
    });
    spans.push(...exporter.getFinishedSpans());
  }
  return spans;
}

const bySpanId = (spans: DecodedSpan[]) => [...spans].sort((a, b) => a.spanId.localeCompare(b.spanId));

it('encodes the same spans as OpenTelemetry’s serializer', () => {
  const spans = recordSpans();
  const ours = decodeExportTraceServiceRequest(encodeTraceExportRequest(spans));
  const theirs = decodeExportTraceServiceRequest(ProtobufTraceSerializer.serializeRequest(spans)!);
  expect(ours).toHaveLength(8);
  expect(bySpanId(ours)).toEqual(bySpanId(theirs));
  expect(new Set(ours.map((span) => span.resource['service.name']))).toEqual(new Set(['cache', 'reports']));
  expect(ours.find((span) => span.name === 'root ü')?.traceState).toBe('vendor=a,other=b');
});

/** Span.flags (field 16) of each span, in order, read from the raw bytes. */
function spanFlags(body: Uint8Array): number[] {
  const flags: number[] = [];
  const nested = (reader: Reader, onField: (field: number, reader: Reader) => boolean) => {
    const end = reader.uint32() + reader.pos;
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (!onField(tag >>> 3, reader)) reader.skipType(tag & 7);
    }
  };
  const reader = Reader.create(body);
  while (reader.pos < body.length) {
    reader.uint32();
    nested(reader, (field) => field === 2 && (nested(reader, (f) => f === 2 && (nested(reader, (g, r) => g === 16 && (flags.push(r.fixed32()), true)), true)), true));
  }
  return flags;
}

it('marks whether each span’s parent was remote, as OpenTelemetry’s serializer does', () => {
  const spans = recordSpans();
  expect(spanFlags(encodeTraceExportRequest(spans))).toEqual(spanFlags(ProtobufTraceSerializer.serializeRequest(spans)!));
  expect(spanFlags(encodeTraceExportRequest(spans))).toContain(0x301);
});

it('encodes nothing for no spans, and one request per call (the buffer is reused safely)', () => {
  expect(encodeTraceExportRequest([])).toHaveLength(0);
  const spans = recordSpans();
  const first = encodeTraceExportRequest(spans.slice(0, 2));
  const copy = Uint8Array.from(first);
  encodeTraceExportRequest(spans);
  expect(first).toEqual(copy);
});
