import { MessageChannel } from 'node:worker_threads';
import { context, type Span } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { openTrace, stampTrace } from '../../protocol/stamp';
import { packSpan, unpackSpan, type EncodedSpans, type WireSpan } from '../../protocol/span-packet';
import { encodeScopeSpans } from '../../telemetry/export/otlp-encoder';
import { OtlpSpanExporter } from '../../telemetry/export/otlp-exporter';
import { fromWireSpan } from '../../telemetry/export/readable-span';
import { ATTR_MAILBOX_DEPTH, ATTR_MAILBOX_WAIT_MS, ATTR_MESSAGE_KIND, ATTR_PID, ATTR_PROCESS_NAME } from '../../telemetry/record/attributes';
import { createClockAnchor } from '../../telemetry/record/shared-clock';
import { WireTracerProvider } from '../../telemetry/record/wire-tracer';
import { SpanRelay } from '../../telemetry/relay/span-relay';
import type { SdkResource } from '../../telemetry/sdk-types';
import type { BenchConfig } from '../config';
import type { Report } from '../report';
import { summarize } from '../stats';

/** Microseconds per run of `step`, `count` times in a row (after a warm-up of a fifth as many). */
function perRun(count: number, step: (index: number) => void): number {
  for (let index = 0; index < count / 5; index++) step(index);
  const start = process.hrtime.bigint();
  for (let index = 0; index < count; index++) step(index);
  return Number(process.hrtime.bigint() - start) / 1000 / count;
}

/** Microseconds to post `message` on a MessageChannel and receive it, in this thread, `count` times. */
async function postAndReceive(message: unknown, count: number): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  let received = 0;
  const done = new Promise<void>((resolve) => port2.on('message', () => ++received === count && resolve()));
  const start = process.hrtime.bigint();
  for (let index = 0; index < count; index++) port1.postMessage(message);
  await done;
  const micros = Number(process.hrtime.bigint() - start) / 1000 / count;
  port1.close();
  return micros;
}

/**
 * What a traced call is made of, each piece alone in this thread, in µs: the spans, the
 * context carried, the encoding, the messages growing, and the export over OTLP/HTTP to the
 * loopback collector (CPU of this process per span sent). What bounds the traced goals.
 */
export async function traceCostCases(report: Report, config: BenchConfig, collectorUrl: string): Promise<void> {
  const spans: WireSpan[] = [];
  const tracer = new WireTracerProvider({
    sampler: { name: 'always_on' },
    clock: createClockAnchor(),
    relay: new SpanRelay({ deliver: (ended) => void spans.push(...(ended as WireSpan[])) }),
    threadId: 1,
    threadName: 'bench',
  }).getTracer('worker-otp');
  const attributes = { [ATTR_PID]: 5, [ATTR_PROCESS_NAME]: 'echo', [ATTR_MESSAGE_KIND]: 'call' };
  const runs = config.pipelined * 5;
  const root: Span = tracer.startSpan('echo.call', { kind: 2, attributes }, context.active());
  const stamp = stampTrace(root);
  const parent = openTrace(stamp);
  const serverAttributes = { ...attributes, [ATTR_MAILBOX_DEPTH]: 0, [ATTR_MAILBOX_WAIT_MS]: 0.01 };
  const ended = () => {
    if (spans.length > 1024) spans.length = 0;
  };
  const server = () => {
    tracer.startSpan('echo.handle_call', { kind: 1, attributes: serverAttributes }, parent).end();
    ended();
  };
  server();
  const one = spans.at(-1)!;
  const batch = Array.from({ length: 64 }, () => one);
  const packet: EncodedSpans = { otlp: encodeScopeSpans([one]), count: 1, mark: { traceId: one.context.traceId, spanId: one.context.spanId, traceFlags: 1, failed: false } };
  const resource = resourceFromAttributes({ 'service.name': 'worker-otp-bench' });
  const reply = { type: 'reply', pid: 0, ref: 1, value: { type: 'echo', value: 1 } };
  const request = { type: 'call', pid: 0, ref: 1, message: { type: 'echo', value: 1 } };

  const measured: Record<string, number[]> = {};
  const add = (id: string, micros: number) => (measured[id] ??= []).push(micros);
  for (let repetition = 0; repetition < config.repetitions; repetition++) {
    add('span: start and end a root (the caller\'s)', perRun(runs, () => {
      tracer.startSpan('echo.call', { kind: 2, attributes }, context.active()).end();
      ended();
    }));
    add('span: start and end a child (the worker\'s)', perRun(runs, server));
    add('context: inject (stamp a message)', perRun(runs, () => stampTrace(root)));
    add('context: extract (open a message)', perRun(runs, () => openTrace(stamp)));
    add('encode: one span alone', perRun(runs, () => encodeScopeSpans([one])));
    add('pack and unpack one span (unencoded crossing)', perRun(runs, () => unpackSpan(packSpan(one))));
    add('library mode: rebuild a worker span as the SDK\'s ReadableSpan', perRun(runs, () => fromWireSpan(one, resource)));
    add('encode: per span, 64 at a time', perRun(runs / 64, () => encodeScopeSpans(batch)) / 64);
    const plainRequest = await postAndReceive(request, runs);
    const plainReply = await postAndReceive(reply, runs);
    add('message: a request, stamped, over a plain one', (await postAndReceive({ ...request, ...stamp }, runs)) - plainRequest);
    add('message: a reply carrying one encoded span, over a plain one', (await postAndReceive({ ...reply, spans: packet }, runs)) - plainReply);
    add('message: a reply carrying one span packed, over a plain one', (await postAndReceive({ ...reply, spans: { packed: [packSpan(one)] } }, runs)) - plainReply);
    add('message: a reply carrying one span as an object graph, over a plain one', (await postAndReceive({ ...reply, spans: [one] }, runs)) - plainReply);
  }
  measured['export: OTLP/HTTP to the loopback collector, CPU per span'] = await exportCpuPerSpan(collectorUrl, resource, packet, config.repetitions);
  for (const [id, values] of Object.entries(measured)) report.add({ id: `cost: ${id}`, unit: 'µs', ...summarize(values) });
}

/** This process's CPU per span for export requests of 512 encoded spans, sent one after another: 10 requests per repetition. */
async function exportCpuPerSpan(url: string, resource: SdkResource, packet: EncodedSpans, repetitions: number): Promise<number[]> {
  const exporter = new OtlpSpanExporter({ url, timeoutMillis: 10_000, resource });
  const batch = Array.from({ length: 512 }, () => packet);
  const send = () => new Promise<void>((resolve) => exporter.export(batch, () => resolve()));
  try {
    for (let index = 0; index < 5; index++) await send();
    const perSpan: number[] = [];
    for (let repetition = 0; repetition < repetitions; repetition++) {
      const before = process.cpuUsage();
      for (let index = 0; index < 10; index++) await send();
      const used = process.cpuUsage(before);
      perSpan.push((used.user + used.system) / (10 * batch.length));
    }
    return perSpan;
  } finally {
    await exporter.shutdown();
  }
}
