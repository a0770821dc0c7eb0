/**
 * The spans of GenServer traffic, as they left the exporter and reached a real OTLP
 * receiver: both sides of every hop, joined in one trace, across real threads.
 */
import { trace } from '@opentelemetry/api';
import { startGenServer, startTelemetry, type GenServer, type StartOptions, type Telemetry } from '../../dist';
import type Counter from '../../dist/tests/fixtures/counter-server';
import type { CounterInit } from '../../dist/tests/fixtures/counter-server';
import { fixturePath } from '../../dist/tests/support/fixtures';
import { OtlpReceiver, type DecodedSpan } from '../../dist/tests/support/otlp-receiver';

type CounterServer = GenServer<typeof Counter>;
let receiver: OtlpReceiver;
let telemetry: Telemetry;
const running: CounterServer[] = [];

beforeEach(async () => {
  receiver = await OtlpReceiver.start();
  telemetry = startTelemetry({ serviceName: 'gen-server-test', endpoint: receiver.url, env: {} });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.kill()));
  await telemetry.shutdown();
  await receiver.close();
});

async function startCounter(options: StartOptions = {}, init?: CounterInit): Promise<CounterServer> {
  const server = await startGenServer<typeof Counter>(fixturePath('counter-server'), init, options);
  running.push(server);
  return server;
}

const tracer = () => trace.getTracer('gen-server-test');

function inSpan<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  return tracer().startActiveSpan(name, async (span) => {
    try {
      return await fn();
    } finally {
      span.end();
    }
  });
}

function childOf(parent: DecodedSpan, name: string, kind?: DecodedSpan['kind']): DecodedSpan {
  const found = receiver.spans.filter((span) => span.parentSpanId === parent.spanId && span.name === name && (!kind || span.kind === kind));
  if (found.length !== 1) throw new Error(`expected one ${name} under ${parent.name}; got ${found.length} (${receiver.spans.map((s) => s.name).join(', ')})`);
  return found[0]!;
}

it('records a CLIENT span for a call and the handleCall SERVER span in the process thread as its child', async () => {
  const counter = await startCounter();
  await inSpan('main.request', () => counter.call({ type: 'echo', value: 'x' }));
  await telemetry.shutdown();

  const root = receiver.only('main.request');
  const client = childOf(root, 'counter.call', 'CLIENT');
  const server = childOf(client, 'counter.handle_call', 'SERVER');
  const user = childOf(server, 'counter.echo_work');
  expect(new Set([root, client, server, user].map((span) => span.traceId)).size).toBe(1);
  expect(client.attributes).toEqual(expect.objectContaining({ 'thread.name': 'main', 'worker_otp.pid': counter.pid.pid, 'worker_otp.message.kind': 'call' }));
  expect(server.attributes).toEqual(
    expect.objectContaining({ 'thread.id': counter.threadId, 'worker_otp.pid': counter.pid.pid, 'worker_otp.process.name': 'counter', 'worker_otp.mailbox.depth': 0 }),
  );
  expect(typeof server.attributes['worker_otp.mailbox.wait_ms']).toBe('number');
  expect(server.startTimeUnixNano).toBeGreaterThan(client.startTimeUnixNano);
  expect(server.endTimeUnixNano).toBeLessThan(client.endTimeUnixNano);
});

it('records PRODUCER and CONSUMER spans for cast and send, brought in at shutdown', async () => {
  const counter = await startCounter();
  await inSpan('main.notify', () => {
    counter.cast({ type: 'append', value: 1 });
    counter.send('hello');
  });
  await telemetry.shutdown();

  const root = receiver.only('main.notify');
  const castClient = childOf(root, 'counter.cast', 'PRODUCER');
  childOf(castClient, 'counter.handle_cast', 'CONSUMER');
  const sendClient = childOf(root, 'counter.send', 'PRODUCER');
  const handled = childOf(sendClient, 'counter.handle_info', 'CONSUMER');
  childOf(handled, 'counter.info_work');
});

it('joins three threads in one trace when a process calls another', async () => {
  const front = await startCounter({ name: 'front' });
  const back = await startCounter({ name: 'back' });
  await inSpan('main.chain', () => front.call({ type: 'forward', target: 'back', request: { type: 'echo', value: 'deep' } }));
  await telemetry.shutdown();

  const root = receiver.only('main.chain');
  const frontServer = childOf(childOf(root, 'front.call', 'CLIENT'), 'front.handle_call', 'SERVER');
  const backClient = childOf(frontServer, 'back.call', 'CLIENT');
  const backServer = childOf(backClient, 'back.handle_call', 'SERVER');
  childOf(backServer, 'counter.echo_work');
  expect(backClient.attributes['thread.id']).toBe(front.threadId);
  expect(backServer.attributes['thread.id']).toBe(back.threadId);
  expect(new Set([root, frontServer, backServer].map((span) => span.attributes['thread.id'])).size).toBe(3);
  expect(new Set(receiver.spans.map((span) => span.traceId)).size).toBe(receiver.spans.filter((s) => s.parentSpanId === '').length);
});

it('records init under the starter\'s span and terminate with the exit reason', async () => {
  const counter = await inSpan('main.lifecycle', async () => {
    const started = await startCounter({ name: 'lifecycle' });
    await started.stop({ shutdown: 'done' });
    return started;
  });
  await telemetry.shutdown();

  const root = receiver.only('main.lifecycle');
  const init = childOf(root, 'lifecycle.init');
  expect(init.attributes['thread.id']).toBe(counter.threadId);
  const terminate = receiver.only('lifecycle.terminate');
  expect(terminate.attributes['worker_otp.exit.reason']).toBe('shutdown: "done"');
  expect(terminate.attributes['counter.values']).toBe(0);
  expect(terminate.traceId).toBe(root.traceId);
});

it('exports a crashing callback\'s span with the exception, then terminate with the error', async () => {
  const counter = await startCounter();
  await inSpan('main.crash', () => counter.call({ type: 'crash', message: 'kaboom' }).catch(() => undefined));
  await counter.exited();
  await telemetry.shutdown();

  const server = childOf(childOf(receiver.only('main.crash'), 'counter.call'), 'counter.handle_call');
  expect(server.status).toEqual({ code: 'ERROR', message: 'RangeError: kaboom' });
  const exception = server.events.find((event) => event.name === 'exception');
  expect(exception?.attributes).toEqual(expect.objectContaining({ 'exception.type': 'RangeError', 'exception.message': 'kaboom' }));
  expect(String(exception?.attributes['exception.stacktrace'])).toContain('counter-server');
  expect(receiver.only('counter.call').status.code).toBe('ERROR');
  expect(receiver.only('counter.terminate').attributes['worker_otp.exit.reason']).toBe('error: RangeError: kaboom');
});

it('records the time a message waited in the mailbox', async () => {
  const counter = await startCounter();
  await inSpan('main.queue', async () => {
    const slow = counter.call({ type: 'sleep', ms: 60 });
    await counter.call({ type: 'echo', value: 'queued' });
    await slow;
  });
  await telemetry.shutdown();
  const [first, second] = receiver.named('counter.handle_call').sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
  expect(second!.attributes['worker_otp.mailbox.wait_ms']).toBeGreaterThan(40);
  expect(Number(first!.attributes['worker_otp.mailbox.wait_ms'])).toBeLessThan(Number(second!.attributes['worker_otp.mailbox.wait_ms']));
});

it('delivers sendAfter inside the context it was scheduled in', async () => {
  const counter = await startCounter();
  await inSpan('main.schedule', () => counter.call({ type: 'schedule', delayMs: 10, message: 'tick' }));
  await counter.call({ type: 'infos', atLeast: 1 });
  await telemetry.shutdown();
  const scheduled = receiver.only('counter.schedule');
  const info = childOf(scheduled, 'counter.handle_info', 'CONSUMER');
  expect(info.traceId).toBe(receiver.only('main.schedule').traceId);
});

it('records no automatic spans with autoSpans off, and user spans still join the caller', async () => {
  const counter = await startCounter({ autoSpans: false });
  await inSpan('main.quiet', () => counter.call({ type: 'echo', value: 'x' }));
  await counter.stop();
  await telemetry.shutdown();
  const root = receiver.only('main.quiet');
  childOf(root, 'counter.echo_work');
  expect(receiver.spans.map((span) => span.name).sort()).toEqual(['counter.echo_work', 'main.quiet']);
});

describe('with the OTLP exporter, replies carry a thread\'s spans in batches', () => {
  const CALLS = 100; // not a multiple of the batch: some spans are still waiting in the thread

  const handled = () => receiver.spans.filter((span) => span.name === 'counter.handle_call').length;

  it('brings in the spans still waiting in a running process on forceFlush', async () => {
    const counter = await startCounter();
    for (let index = 0; index < CALLS; index++) await counter.call({ type: 'echo', value: index });
    await telemetry.forceFlush();
    expect(handled()).toBe(CALLS);
    expect(receiver.spans.filter((span) => span.name === 'counter.call')).toHaveLength(CALLS);
  });

  it('sends the waiting spans with the exit of a process that stops, or crashes', async () => {
    const stopped = await startCounter();
    const crashed = await startCounter();
    for (let index = 0; index < CALLS; index++) {
      await stopped.call({ type: 'echo', value: index });
      await crashed.call({ type: 'echo', value: index });
    }
    await stopped.stop();
    await expect(crashed.call({ type: 'crash', message: 'boom' })).rejects.toMatchObject({ code: 'ERR_PROCESS_EXIT' });
    await telemetry.shutdown();
    // Both processes' calls, and the crashing call's span with its error.
    expect(handled()).toBe(2 * CALLS + 1);
    expect(receiver.spans.filter((span) => span.name === 'counter.handle_call' && span.status.code === 'ERROR')).toHaveLength(1);
  });
});
