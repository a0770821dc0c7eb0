/**
 * Tail sampling in worker-otp's own setup, on real threads, read from a real OTLP
 * receiver: a trace whose task failed on a pool thread is exported whole; healthy traces
 * are released unexported (all but their share); slow ones are kept; counts add up.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { TaskSupervisor, startGenServer, startTelemetry, taskRef, type GenServer, type TailSamplingOptions, type Telemetry } from '../../dist';
import { join } from 'node:path';
import type HighThroughputWorker from '../../dist/examples/high-throughput-server';
import type Counter from '../../dist/tests/fixtures/counter-server';
import type * as Tasks from '../../dist/tests/fixtures/tasks';
import { fixturePath } from '../../dist/tests/support/fixtures';
import { OtlpReceiver } from '../../dist/tests/support/otlp-receiver';

const tasks = <K extends keyof typeof Tasks & string>(name: K) => taskRef<typeof Tasks, K>(fixturePath('tasks'), name);
let receiver: OtlpReceiver;
let telemetry: Telemetry;
let pool: TaskSupervisor;
let counter: GenServer<typeof Counter>;

async function start(tailSampling: TailSamplingOptions): Promise<void> {
  receiver = await OtlpReceiver.start();
  telemetry = startTelemetry({ serviceName: 'tail-sampling', endpoint: receiver.url, env: {}, tailSampling });
  pool = TaskSupervisor.start({ name: 'tail_pool', maxThreads: 2 });
  counter = await startGenServer<typeof Counter>(fixturePath('counter-server'), undefined);
}

afterEach(async () => {
  await counter.stop();
  await pool.shutdown();
  await telemetry.shutdown();
  await receiver.close();
});

/** One request: a root span in the main thread, a call to a process and a task on a pool thread. */
function request(name: string, task: () => Promise<unknown>): Promise<string> {
  return trace.getTracer('test').startActiveSpan(name, async (span) => {
    try {
      await counter.call({ type: 'echo', value: name });
      await task().catch(() => undefined);
      return span.spanContext().traceId;
    } finally {
      span.setStatus({ code: SpanStatusCode.UNSET });
      span.end();
    }
  });
}

it('exports the whole trace of a request whose task failed on a pool thread, and none of the healthy ones', async () => {
  await start({ keepRatio: 0 });
  const healthy: string[] = [];
  for (let index = 0; index < 20; index++) healthy.push(await request('healthy', () => pool.async(tasks('add'), index, 1).await()));
  const failed = await request('failing', () => pool.async(tasks('fail'), 'task broke').await());
  await telemetry.forceFlush();
  const exported = new Set(receiver.spans.map((span) => span.traceId));
  expect(exported).toEqual(new Set([failed]));
  // The whole trace, from the main thread, the process's thread and the pool's thread.
  expect(receiver.spans.map((span) => span.name).sort()).toEqual(['counter.call', 'counter.echo_work', 'counter.handle_call', 'fail.run', 'fail.submit', 'failing'].sort());
  expect(receiver.only('fail.run').status.code).toBe('ERROR');
  // (The 21st dropped trace is the counter's start: its init span is a trace of its own.)
  expect(telemetry.stats.tailSampling).toMatchObject({ tracesKept: 1, tracesDropped: 21 });
  expect(healthy.every((traceId) => !exported.has(traceId))).toBe(true);
});

it('keeps the trace of a call answered normally whose failure stayed in the process\'s thread (its spans ride the reply)', async () => {
  await start({ keepRatio: 0 });
  const worker = await startGenServer<typeof HighThroughputWorker>(join(__dirname, '..', '..', 'dist', 'examples', 'high-throughput-server.js'), undefined);
  try {
    const rejected: string[] = [];
    for (let index = 0; index < 100; index++) {
      const data = index % 50 === 49 ? -index : index;
      await trace.getTracer('test').startActiveSpan('request', async (span) => {
        if ((await worker.call({ type: 'process', data })) === 'rejected') rejected.push(span.spanContext().traceId);
        span.end();
      });
    }
    await telemetry.forceFlush();
    expect(rejected).toHaveLength(2);
    expect(new Set(receiver.named('request').map((span) => span.traceId))).toEqual(new Set(rejected));
    expect(receiver.named('worker.process').every((span) => span.status.code === 'ERROR')).toBe(true);
  } finally {
    await worker.stop();
  }
});

it('keeps a trace that ran longer than keepSlowerThanMs', async () => {
  // Far apart, and the quick one on a pool already started: a thread's start alone took
  // ~80 ms on a loaded 2-core machine.
  await start({ keepRatio: 0, keepSlowerThanMs: 300 });
  const slow = await request('slow', () => pool.async(tasks('sleep'), 450).await());
  await request('quick', () => pool.async(tasks('add'), 1, 1).await());
  await telemetry.forceFlush();
  expect(new Set(receiver.spans.map((span) => span.traceId))).toEqual(new Set([slow]));
});

it('with keepRatio 1 keeps every trace, counting none dropped', async () => {
  await start({ keepRatio: 1 });
  for (let index = 0; index < 5; index++) await request('kept', () => pool.async(tasks('add'), index, 1).await());
  await telemetry.forceFlush();
  expect(receiver.named('kept')).toHaveLength(5);
  // Five requests and the counter's start.
  expect(telemetry.stats.tailSampling).toMatchObject({ tracesKept: 6, tracesDropped: 0, spansDropped: 0 });
});

it('refuses a head sampler beside it, and bad options, naming them', () => {
  expect(() => startTelemetry({ env: {}, exporter: 'none', tailSampling: {}, sampler: { name: 'traceidratio', ratio: 0.1 } })).toThrow('options.tailSampling decides after a trace has ended');
  expect(() => startTelemetry({ env: {}, exporter: 'none', tailSampling: { keepRatio: -1 } })).toThrow('keepRatio must be a number from 0 to 1');
  // (afterEach needs something to stop)
  return start({});
});
