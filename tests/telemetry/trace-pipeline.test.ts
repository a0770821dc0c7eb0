/**
 * End to end: spans recorded in the main thread and in real worker threads, joined by the
 * context that messages carry, exported by one OTLP/HTTP exporter to a real receiver on
 * loopback and decoded from the protobuf bytes.
 */
import type { Worker } from 'node:worker_threads';
import { DiagLogLevel, context, diag, propagation, trace, type DiagLogger } from '@opentelemetry/api';
import { startTelemetry, tracedEndpoint, type Telemetry, type TelemetryOptions } from '../../dist';
import { exitOf, startFixture } from '../../dist/tests/support/fixtures';
import { OtlpReceiver } from '../../dist/tests/support/otlp-receiver';
import type { EnvelopeReply, EnvelopeRequest } from '../../dist/tests/fixtures/envelope-worker';

let receiver: OtlpReceiver;
let telemetry: Telemetry | undefined;
let worker: Worker | undefined;
/** Errors the fixture's thread died of ('error' events of the Worker). */
let workerErrors: Error[] = [];

beforeEach(async () => {
  receiver = await OtlpReceiver.start();
});

afterEach(async () => {
  await worker?.terminate();
  worker = undefined;
  await telemetry?.shutdown();
  telemetry = undefined;
  await receiver.close();
});

function start(options: TelemetryOptions = {}): Telemetry {
  telemetry = startTelemetry({ serviceName: 'pipeline-test', env: {}, ...options, endpoint: options.endpoint ?? receiver.url });
  return telemetry;
}

/** Starts the envelope fixture and returns a request function over a traced endpoint. */
function envelopeWorker() {
  worker = startFixture('envelope-worker');
  workerErrors = [];
  worker.on('error', (error) => workerErrors.push(error));
  const port = tracedEndpoint(worker);
  const replies = new Map<number, (reply: EnvelopeReply) => void>();
  port.addEventListener('message', (event: { data: EnvelopeReply }) => replies.get(event.data.id)?.(event.data));
  return {
    request(message: EnvelopeRequest & { id: number }): Promise<EnvelopeReply> {
      return new Promise((resolve) => {
        replies.set(message.id, resolve);
        port.postMessage(message);
      });
    },
    post(message: EnvelopeRequest): void {
      port.postMessage(message);
    },
  };
}

const tracer = () => trace.getTracer('pipeline-test');

it('joins a worker span to the main thread span that sent the message, on one clock', async () => {
  start();
  const fixture = envelopeWorker();
  const reply = await tracer().startActiveSpan('main.operation', async (span) => {
    const answer = await fixture.request({ op: 'work', id: 1 });
    span.end();
    return answer;
  });
  await telemetry!.shutdown();

  const parent = receiver.only('main.operation');
  const child = receiver.only('envelope_worker.work');
  expect(reply.traceId).toBe(parent.traceId);
  expect(child.traceId).toBe(parent.traceId);
  expect(child.parentSpanId).toBe(parent.spanId);
  expect(child.attributes['thread.name']).toBe('envelope-worker');
  expect(child.attributes['thread.id']).toBe(worker!.threadId);
  expect(parent.attributes['thread.id']).toBe(0);
  expect(parent.attributes['thread.name']).toBe('main');
  expect(child.resource['service.name']).toBe('pipeline-test');
  // Both threads read the shared nanosecond clock, not the SDK's whole-millisecond start.
  expect([parent.startTimeUnixNano % 1_000_000n, child.startTimeUnixNano % 1_000_000n]).not.toContain(0n);
  // A synchronous hop: the worker's span lies inside the caller's, on the shared clock.
  expect(child.startTimeUnixNano).toBeGreaterThan(parent.startTimeUnixNano);
  expect(child.endTimeUnixNano).toBeLessThan(parent.endTimeUnixNano);
});

it('exports the span of a handler that throws, with the exception, before its thread dies', async () => {
  start();
  const fixture = envelopeWorker();
  tracer().startActiveSpan('main.crash', (span) => {
    fixture.post({ op: 'crash' });
    span.end();
  });
  expect(await exitOf(worker!)).toBe(1);
  expect(workerErrors.map((error) => `${error.name}: ${error.message}`)).toEqual(['RangeError: kaboom']);
  await telemetry!.shutdown();

  const crashed = receiver.only('envelope_worker.crash');
  expect(crashed.parentSpanId).toBe(receiver.only('main.crash').spanId);
  expect(crashed.status).toEqual({ code: 'ERROR', message: 'kaboom' });
  const [exception] = crashed.events;
  expect(exception?.name).toBe('exception');
  expect(exception?.attributes['exception.type']).toBe('RangeError');
  expect(exception?.attributes['exception.message']).toBe('kaboom');
  expect(String(exception?.attributes['exception.stacktrace'])).toContain('envelope-worker');
});

it('exports nothing from any thread with sampler ratio 0', async () => {
  start({ sampler: { name: 'traceidratio', ratio: 0 } });
  const fixture = envelopeWorker();
  for (let id = 1; id <= 5; id++) {
    await tracer().startActiveSpan('main.unsampled', async (span) => {
      await fixture.request({ op: 'work', id });
      span.end();
    });
  }
  await telemetry!.shutdown();
  expect(receiver.spans).toEqual([]);
});

it('exports everything from every thread with sampler ratio 1', async () => {
  start({ sampler: { name: 'traceidratio', ratio: 1 } });
  const fixture = envelopeWorker();
  for (let id = 1; id <= 5; id++) {
    await tracer().startActiveSpan('main.sampled', async (span) => {
      await fixture.request({ op: 'work', id });
      span.end();
    });
  }
  await telemetry!.shutdown();
  expect(receiver.named('main.sampled')).toHaveLength(5);
  const workerSpans = receiver.named('envelope_worker.work');
  expect(workerSpans.map((span) => span.attributes['request.id']).sort()).toEqual([1, 2, 3, 4, 5]);
  const parents = new Set(receiver.named('main.sampled').map((span) => span.spanId));
  expect(workerSpans.every((span) => parents.has(span.parentSpanId))).toBe(true);
});

it('starts a new root trace in the worker for a malformed traceparent, and keeps serving', async () => {
  start();
  const fixture = envelopeWorker();
  const replies: EnvelopeReply[] = [];
  worker!.on('message', (data: { payload?: EnvelopeReply }) => data.payload && replies.push(data.payload));
  worker!.postMessage({ __worker_otp: 1, type: 'message', payload: { op: 'work', id: 7 }, trace: { traceparent: '00-not-a-trace-01' } });
  const next = await tracer().startActiveSpan('main.after', async (span) => {
    const answer = await fixture.request({ op: 'work', id: 8 });
    span.end();
    return answer;
  });
  await telemetry!.shutdown();

  const [orphan, joined] = [7, 8].map((id) => receiver.named('envelope_worker.work').find((s) => s.attributes['request.id'] === id)!);
  expect(orphan!.parentSpanId).toBe('');
  expect(orphan!.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(orphan!.traceId).not.toBe(receiver.only('main.after').traceId);
  expect(joined!.parentSpanId).toBe(receiver.only('main.after').spanId);
  expect(next.traceId).toBe(receiver.only('main.after').traceId);
  expect(replies.map((reply) => reply.id)).toContain(7);
});

it('reads the caller\'s baggage in the worker', async () => {
  start();
  const fixture = envelopeWorker();
  const withTenant = propagation.setBaggage(context.active(), propagation.createBaggage({ tenant: { value: 'acme' } }));
  const reply = await context.with(withTenant, () => fixture.request({ op: 'work', id: 3 }));
  expect(reply.tenant).toBe('acme');
});

it('brings in at shutdown the spans a worker ended without replying', async () => {
  start({ scheduledDelayMs: 60_000 });
  const fixture = envelopeWorker();
  tracer().startActiveSpan('main.fire_and_forget', (span) => {
    fixture.post({ op: 'record', id: 11 });
    span.end();
  });
  // A reply to a later message proves the first one was handled; its span may already
  // have ridden back on that reply, so the second message also ends a span that only a
  // flush can collect.
  await fixture.request({ op: 'work', id: 12 });
  fixture.post({ op: 'record', id: 13 });
  await fixture.request({ op: 'work', id: 14 });
  fixture.post({ op: 'record', id: 15 });
  await telemetry!.shutdown();
  const ids = receiver.named('envelope_worker.work').map((span) => span.attributes['request.id']);
  expect(ids.sort((a, b) => Number(a) - Number(b))).toEqual([11, 12, 13, 14, 15]);
});

it('keeps the program running when the collector is down, reports once and counts the loss', async () => {
  const warnings: string[] = [];
  const logger: DiagLogger = {
    error: () => {}, info: () => {}, debug: () => {}, verbose: () => {},
    warn: (message: string) => warnings.push(message),
  };
  diag.setLogger(logger, DiagLogLevel.WARN);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const down = receiver.url;
    await receiver.close();
    start({ endpoint: down, exportTimeoutMs: 1000, maxExportBatchSize: 2 });
    const fixture = envelopeWorker();
    for (let id = 1; id <= 3; id++) {
      await tracer().startActiveSpan('main.while_down', async (span) => {
        await fixture.request({ op: 'work', id });
        span.end();
      });
    }
    await telemetry!.shutdown();
    expect(telemetry!.stats.failedSpans).toBe(6);
    expect(telemetry!.stats.exportedSpans).toBe(0);
    expect(warnings.filter((message) => message.includes('span export failed'))).toHaveLength(1);
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    diag.disable();
    receiver = await OtlpReceiver.start();
  }
});

it('leaves no handle open after shutdown', async () => {
  const before = new Set(process.getActiveResourcesInfo());
  // The memory exporter: an OTLP exporter's connection would show as the receiver's
  // (same process) server-side socket, which is the test's, not the library's.
  start({ exporter: 'memory' });
  const fixture = envelopeWorker();
  await tracer().startActiveSpan('main.handles', async (span) => {
    await fixture.request({ op: 'work', id: 1 });
    span.end();
  });
  await worker!.terminate();
  worker = undefined;
  const stopped = telemetry!;
  await stopped.shutdown();
  telemetry = undefined;
  expect(stopped.finishedSpans().map((span) => span.name).sort()).toEqual(['envelope_worker.work', 'main.handles']);
  const remaining = process.getActiveResourcesInfo().filter((resource) => !before.has(resource));
  expect(remaining).toEqual([]);
});
