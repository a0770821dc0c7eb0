/**
 * The slim tracer every worker thread records with (and the main thread, for worker-otp's
 * own spans): spans born in wire form, parent-based sampling, the SDK's limits and rules,
 * ended spans handed to the thread's relay.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, createTraceState, trace } from '@opentelemetry/api';
import { suppressTracing } from '../../../dist/propagation/w3c-propagator';
import type { SpanPacket, WireSpan } from '../../../dist/protocol/span-packet';
import type { SamplerConfig } from '../../../dist/telemetry/record/sampling';
import { createClockAnchor } from '../../../dist/telemetry/record/shared-clock';
import { WireTracerProvider } from '../../../dist/telemetry/record/wire-tracer';
import { SpanRelay } from '../../../dist/telemetry/relay/span-relay';

const PARENT = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', isRemote: true };

function tracerWith(sampler: SamplerConfig = { name: 'parentbased_always_on' }) {
  const ended: WireSpan[] = [];
  const relay = new SpanRelay({ deliver: (spans: SpanPacket) => ended.push(...(spans as WireSpan[])) });
  const provider = new WireTracerProvider({ sampler, clock: createClockAnchor(), relay, threadId: 7, threadName: 'pool#7' });
  return { tracer: provider.getTracer('test-scope', '1.2.3'), ended, provider };
}

const withParent = (traceFlags: number, traceState?: string) =>
  trace.setSpanContext(ROOT_CONTEXT, { ...PARENT, traceFlags, ...(traceState ? { traceState: createTraceState(traceState) } : {}) });

it('records a child of a sampled parent in its trace, with the thread and the scope', () => {
  const { tracer, ended } = tracerWith();
  tracer.startSpan('work', { kind: SpanKind.SERVER, attributes: { 'job.id': 3 } }, withParent(TraceFlags.SAMPLED)).end();
  expect(ended).toHaveLength(1);
  const [span] = ended;
  expect(span!.context.traceId).toBe(PARENT.traceId);
  expect(span!.context.spanId).toMatch(/^[0-9a-f]{16}$/);
  expect(span!.context.spanId).not.toBe('0'.repeat(16));
  expect(span!.parent).toEqual({ traceId: PARENT.traceId, spanId: PARENT.spanId, traceFlags: 1, isRemote: true });
  expect(span!.kind).toBe(SpanKind.SERVER);
  expect(span!.attributes).toEqual({ 'job.id': 3, 'thread.id': 7, 'thread.name': 'pool#7' });
  expect(span!.scope).toEqual({ name: 'test-scope', version: '1.2.3', schemaUrl: undefined });
});

it('follows an unsampled parent: nothing is recorded, the ids and trace state go on', () => {
  const { tracer, ended } = tracerWith({ name: 'always_on' });
  const span = tracer.startSpan('work', {}, withParent(TraceFlags.NONE, 'vendor=x'));
  expect(span.isRecording()).toBe(false);
  expect(span.spanContext()).toMatchObject({ traceId: PARENT.traceId, traceFlags: TraceFlags.NONE });
  expect(span.spanContext().traceState?.serialize()).toBe('vendor=x');
  span.end();
  expect(ended).toHaveLength(0);
});

it('samples roots by the configured ratio, and the same trace the same way every time', () => {
  const none = tracerWith({ name: 'parentbased_traceidratio', ratio: 0 });
  const all = tracerWith({ name: 'parentbased_traceidratio', ratio: 1 });
  expect(none.tracer.startSpan('root', {}, ROOT_CONTEXT).isRecording()).toBe(false);
  expect(all.tracer.startSpan('root', {}, ROOT_CONTEXT).isRecording()).toBe(true);
  // A sampled parent wins over the ratio (parent-based).
  expect(none.tracer.startSpan('child', {}, withParent(TraceFlags.SAMPLED)).isRecording()).toBe(true);
});

it('records nothing where tracing is suppressed', () => {
  const { tracer, ended } = tracerWith();
  const span = tracer.startSpan('work', {}, suppressTracing(withParent(TraceFlags.SAMPLED)));
  expect(span.isRecording()).toBe(false);
  span.end();
  expect(ended).toHaveLength(0);
});

it('starts a new root for an invalid parent context and for root: true', () => {
  const { tracer, ended } = tracerWith();
  tracer.startSpan('a', {}, trace.setSpanContext(ROOT_CONTEXT, { traceId: '', spanId: '', traceFlags: 1 })).end();
  tracer.startSpan('b', { root: true }, withParent(TraceFlags.SAMPLED)).end();
  expect(ended.map((span) => span.parent)).toEqual([undefined, undefined]);
  expect(ended[1]!.context.traceId).not.toBe(PARENT.traceId);
});

it('applies the SDK limits and rules: 128 attributes, OK status is final, a second end is ignored', () => {
  const { tracer, ended } = tracerWith();
  const span = tracer.startSpan('busy', {}, ROOT_CONTEXT);
  for (let index = 0; index < 200; index++) span.setAttribute(`key.${index}`, index);
  span.setAttribute('key.0', 'overwritten');
  span.setAttribute('bad', { nested: true } as never);
  span.setStatus({ code: SpanStatusCode.OK, message: 'dropped: only errors carry a message' });
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' });
  span.end();
  span.end();
  span.setAttribute('after.end', 1);
  expect(ended).toHaveLength(1);
  const [recorded] = ended;
  expect(Object.keys(recorded!.attributes)).toHaveLength(128);
  expect(recorded!.attributes['key.0']).toBe('overwritten');
  expect(recorded!.droppedAttributesCount).toBe(200 - 126);
  expect(recorded!.status).toEqual({ code: SpanStatusCode.OK });
});

it('records exceptions as events and keeps times on the shared clock', () => {
  const { tracer, ended } = tracerWith();
  const span = tracer.startSpan('failing', {}, ROOT_CONTEXT);
  span.recordException(Object.assign(new TypeError('bad input'), { code: 'E_BAD' }));
  span.end();
  const [recorded] = ended;
  expect(recorded!.events).toEqual([
    expect.objectContaining({ name: 'exception', attributes: expect.objectContaining({ 'exception.type': 'E_BAD', 'exception.message': 'bad input' }) }),
  ]);
  const toNanos = ([seconds, nanos]: readonly [number, number]) => BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
  const nowNanos = BigInt(Date.now()) * 1_000_000n;
  expect(toNanos(recorded!.startTime)).toBeLessThanOrEqual(toNanos(recorded!.endTime));
  expect(Number(nowNanos - toNanos(recorded!.endTime)) / 1e6).toBeLessThan(1000);
});

it('makes the active span available inside startActiveSpan', () => {
  const { tracer } = tracerWith();
  const seen = tracer.startActiveSpan('outer', (span) => {
    span.end();
    return span.spanContext().spanId;
  });
  expect(seen).toMatch(/^[0-9a-f]{16}$/);
});
