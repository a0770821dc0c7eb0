/**
 * worker-otp's metrics, read back from a real SDK MeterProvider with a reader of our own
 * (what the Node SDK does with its metric readers): after a scripted run, the counts match
 * what the script did (restarts, exits by reason, tasks by outcome, timeouts), and a
 * process's mailbox depth rises while it is busy and falls once it has caught up.
 */
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type Histogram, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { Supervisor, TaskSupervisor, TaskTimeoutError, call, cast, startGenServer, taskRef, workerChild, type GenServer } from '../../dist';
import type Edge from '../../dist/tests/fixtures/edge-server';
import type * as Tasks from '../../dist/tests/fixtures/tasks';
import { fixturePath } from '../../dist/tests/support/fixtures';

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

let reader: TestReader;
let provider: MeterProvider;
let startedBefore: GenServer<typeof Edge>;

beforeAll(async () => {
  // Started while no MeterProvider is registered: it reports nothing through shared memory.
  startedBefore = await startGenServer<typeof Edge>(fixturePath('edge-server'), {}, { name: 'before_metrics' });
  reader = new TestReader();
  provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
});

afterAll(async () => {
  await startedBefore.stop();
  await provider.shutdown();
  metrics.disable();
});

async function collect(): Promise<ResourceMetrics> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

function points(collected: ResourceMetrics, name: string): Array<DataPoint<number | Histogram>> {
  const metric = collected.scopeMetrics.filter((scope) => scope.scope.name === 'worker-otp').flatMap((scope) => scope.metrics).find((found) => found.descriptor.name === name);
  return (metric?.dataPoints ?? []) as Array<DataPoint<number | Histogram>>;
}

/** The value of the point whose attributes include `attributes` (0 when there is none). */
function value(collected: ResourceMetrics, name: string, attributes: Record<string, string>): number {
  const point = points(collected, name).find((candidate) => Object.entries(attributes).every(([key, wanted]) => candidate.attributes[key] === wanted));
  if (point === undefined) return 0;
  return typeof point.value === 'number' ? point.value : point.value.count;
}

it('counts exits by reason, restarts by supervisor and child, and calls that timed out', async () => {
  const supervisor = await Supervisor.start([workerChild('edgy', fixturePath('edge-server'), {}, { name: 'metered' })], { name: 'metered_sup', maxRestarts: 5 });
  try {
    // Crash it twice: two restarts, two exits with reason error.
    for (let crash = 0; crash < 2; crash++) {
      const before = supervisor.whichChildren()[0]!.pid;
      await expect(call('metered', { type: 'throw', value: new Error('planned') })).rejects.toThrow();
      await supervisor.settled();
      expect(supervisor.whichChildren()[0]!.pid).not.toEqual(before);
    }
    await expect(call('metered', { type: 'sleep', ms: 500 }, { timeoutMs: 50 })).rejects.toThrow('did not reply within 50 ms');
    await expect(call('metered', { type: 'echo', value: 'served after the sleep' })).resolves.toBe('served after the sleep');
    const collected = await collect();
    expect(value(collected, 'worker_otp.supervisor.restarts', { 'worker_otp.supervisor.name': 'metered_sup', 'worker_otp.child.id': 'edgy' })).toBe(2);
    expect(value(collected, 'worker_otp.process.exits', { 'worker_otp.process.name': 'metered', 'worker_otp.exit.reason': 'error' })).toBe(2);
    expect(value(collected, 'worker_otp.call.timeouts', { 'worker_otp.process.name': 'main' })).toBeGreaterThanOrEqual(1);
    expect(value(collected, 'worker_otp.process.count', { 'worker_otp.process.name': 'metered' })).toBe(1);
    // Handling times of the calls it served, by callback, in seconds.
    const handled = points(collected, 'worker_otp.process.message.duration').find((point) => point.attributes['worker_otp.process.name'] === 'metered' && point.attributes['worker_otp.callback'] === 'handle_call');
    expect((handled?.value as Histogram | undefined)?.count).toBeGreaterThanOrEqual(1);
    expect(points(collected, 'worker_otp.thread.event_loop.utilization').some((point) => point.attributes['thread.name'] === 'metered')).toBe(true);
  } finally {
    await supervisor.stop();
  }
  const afterStop = await collect();
  expect(value(afterStop, 'worker_otp.process.exits', { 'worker_otp.process.name': 'metered', 'worker_otp.exit.reason': 'shutdown' })).toBe(1);
  expect(value(afterStop, 'worker_otp.process.count', { 'worker_otp.process.name': 'metered' })).toBe(0);
});

it('shows a mailbox filling while its process is busy, and emptying once it caught up', async () => {
  const server: GenServer<typeof Edge> = await startGenServer<typeof Edge>(fixturePath('edge-server'), {}, { name: 'queue_watch' });
  try {
    const busy = server.call({ type: 'sleep', ms: 400 });
    for (let index = 0; index < 25; index++) cast('queue_watch', { type: 'sleep', ms: 0 });
    const filling = value(await collect(), 'worker_otp.process.mailbox.depth', { 'worker_otp.process.name': 'queue_watch' });
    expect(filling).toBeGreaterThanOrEqual(25);
    await busy;
    await server.call({ type: 'echo', value: 'caught up' });
    expect(value(await collect(), 'worker_otp.process.mailbox.depth', { 'worker_otp.process.name': 'queue_watch' })).toBe(0);
    // Its thread reports its heap.
    expect(value(await collect(), 'worker_otp.thread.heap.used', { 'thread.name': 'queue_watch' })).toBeGreaterThan(1_000_000);
  } finally {
    await server.stop();
  }
});

it('counts tasks by outcome, with their wait and run times, and the queue depth', async () => {
  const pool = TaskSupervisor.start({ name: 'metered_pool', maxThreads: 1 });
  const tasks = fixturePath('tasks');
  try {
    const sleep = taskRef<typeof Tasks, 'sleep'>(tasks, 'sleep');
    const first = pool.async(sleep, 200);
    const queued = [pool.async(sleep, 1), pool.async(sleep, 1), pool.async(sleep, 1)];
    expect(value(await collect(), 'worker_otp.task.queue.depth', { 'worker_otp.task.supervisor': 'metered_pool' })).toBeGreaterThanOrEqual(1);
    await Promise.all([first.await(), ...queued.map((task) => task.await())]);
    await expect(pool.async(taskRef<typeof Tasks, 'fail'>(tasks, 'fail'), 'planned').await()).rejects.toThrow('planned');
    await expect(pool.async(sleep, 5000).await(50)).rejects.toThrow(TaskTimeoutError);
    const collected = await collect();
    const byOutcome = (outcome: string) => value(collected, 'worker_otp.tasks', { 'worker_otp.task.supervisor': 'metered_pool', 'worker_otp.task.outcome': outcome });
    expect([byOutcome('ok'), byOutcome('error'), byOutcome('cancelled')]).toEqual([4, 1, 1]);
    expect(value(collected, 'worker_otp.task.run.duration', { 'worker_otp.task.supervisor': 'metered_pool' })).toBe(5);
    const waits = points(collected, 'worker_otp.task.wait.duration')[0]!.value as Histogram;
    // The three queued behind the 200 ms task waited for it.
    expect(waits.max).toBeGreaterThan(0.1);
  } finally {
    await pool.shutdown();
  }
});

it('costs a process started before any MeterProvider nothing: it is counted, but reports no mailbox, heap or handling time', async () => {
  await startedBefore.call({ type: 'echo', value: 'uncounted' });
  const collected = await collect();
  expect(value(collected, 'worker_otp.process.count', { 'worker_otp.process.name': 'before_metrics' })).toBe(1);
  expect(points(collected, 'worker_otp.process.mailbox.depth').some((point) => point.attributes['worker_otp.process.name'] === 'before_metrics')).toBe(false);
  expect(points(collected, 'worker_otp.thread.heap.used').some((point) => point.attributes['thread.name'] === 'before_metrics')).toBe(false);
  expect(points(collected, 'worker_otp.process.message.duration').some((point) => point.attributes['worker_otp.process.name'] === 'before_metrics')).toBe(false);
  // The main thread reports its own utilisation and heap.
  expect(value(collected, 'worker_otp.thread.heap.used', { 'thread.name': 'main' })).toBeGreaterThan(1_000_000);
  expect(points(collected, 'worker_otp.thread.event_loop.utilization').some((point) => point.attributes['thread.name'] === 'before_metrics')).toBe(true);
});
