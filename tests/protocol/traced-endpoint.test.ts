/**
 * Real Comlink.wrap / Comlink.expose across a real worker thread, both ends on traced
 * endpoints; spans read from a real OTLP receiver.
 */
import type { Worker } from 'node:worker_threads';
import { trace } from '@opentelemetry/api';
import { wrap, releaseProxy, type Remote } from 'comlink';
import { startTelemetry, tracedEndpoint, type Telemetry } from '../../dist';
import { startFixture } from '../../dist/tests/support/fixtures';
import { OtlpReceiver } from '../../dist/tests/support/otlp-receiver';
import type { MathApi } from '../../dist/tests/fixtures/comlink-worker';

let receiver: OtlpReceiver;
let telemetry: Telemetry;
let worker: Worker;
let math: Remote<MathApi>;

beforeEach(async () => {
  receiver = await OtlpReceiver.start();
  telemetry = startTelemetry({ serviceName: 'comlink-test', endpoint: receiver.url, env: {} });
  worker = startFixture('comlink-worker');
  math = wrap<MathApi>(tracedEndpoint(worker, { name: 'math' }));
});

afterEach(async () => {
  math[releaseProxy]();
  await worker.terminate();
  await telemetry.shutdown();
  await receiver.close();
});

const tracer = () => trace.getTracer('comlink-test');

it('records a client span per call and the exposed side\'s server span as its child', async () => {
  const sum = await tracer().startActiveSpan('main.compute', async (span) => {
    const result = await math.add(2, 3);
    span.end();
    return result;
  });
  expect(sum).toBe(5);
  await telemetry.shutdown();

  const root = receiver.only('main.compute');
  const [client, server] = ['CLIENT', 'SERVER'].map((kind) => receiver.named('math.add').find((span) => span.kind === kind)!);
  const inner = receiver.only('math.inner');
  expect(client!.parentSpanId).toBe(root.spanId);
  expect(server!.parentSpanId).toBe(client!.spanId);
  expect(inner.parentSpanId).toBe(server!.spanId);
  expect(new Set([root, client!, server!, inner].map((span) => span.traceId)).size).toBe(1);
  expect(client!.attributes).toEqual(expect.objectContaining({ 'rpc.system': 'comlink', 'rpc.method': 'add', 'thread.name': 'main' }));
  expect(server!.attributes['thread.name']).toBe('comlink-worker');
  expect(server!.startTimeUnixNano).toBeGreaterThan(client!.startTimeUnixNano);
  expect(server!.endTimeUnixNano).toBeLessThan(client!.endTimeUnixNano);
});

it('keeps the context across an async exposed function', async () => {
  await tracer().startActiveSpan('main.square', async (span) => {
    await expect(math.slowSquare(7)).resolves.toBe(49);
    span.end();
  });
  await telemetry.shutdown();
  const server = receiver.named('math.slowSquare').find((span) => span.kind === 'SERVER')!;
  const client = receiver.named('math.slowSquare').find((span) => span.kind === 'CLIENT')!;
  expect(server.parentSpanId).toBe(client.spanId);
  expect(client.parentSpanId).toBe(receiver.only('main.square').spanId);
});

it('marks both spans of a call that throws, with the exception on the server span', async () => {
  await expect(math.reject()).rejects.toThrow('not a number');
  await telemetry.shutdown();
  const [client, server] = ['CLIENT', 'SERVER'].map((kind) => receiver.named('math.reject').find((span) => span.kind === kind)!);
  expect(client!.status).toEqual({ code: 'ERROR', message: 'not a number' });
  expect(server!.status).toEqual({ code: 'ERROR', message: 'not a number' });
  expect(server!.parentSpanId).toBe(client!.spanId);
  const exception = server!.events.find((event) => event.name === 'exception');
  expect(exception?.attributes).toEqual(expect.objectContaining({ 'exception.type': 'TypeError', 'exception.message': 'not a number' }));
  expect(String(exception?.attributes['exception.stacktrace'])).toContain('comlink-worker');
});
