/** Tasks on a real Piscina pool: results, failures, cancellation, streams and batches. */
import {
  PayloadNotCloneableError,
  TaskExitError,
  TaskModuleError,
  TaskQueueFullError,
  TaskSupervisor,
  TaskTimeoutError,
  awaitMany,
  taskRef,
} from '../../../dist';
import type * as Tasks from '../../../dist/tests/fixtures/tasks';
import { fixturePath } from '../../../dist/tests/support/fixtures';

const TASKS = fixturePath('tasks');
const task = <K extends keyof typeof Tasks & string>(name: K) => taskRef<typeof Tasks, K>(TASKS, name);
let supervisor: TaskSupervisor;

beforeEach(() => {
  supervisor = TaskSupervisor.start({ name: 'test_tasks', minThreads: 1, maxThreads: 2 });
});

afterEach(() => supervisor.shutdown());

it('runs a task on a pool thread and returns its result', async () => {
  const sum: number = await supervisor.async(task('add'), 2, 40).await();
  expect(sum).toBe(42);
  const thread = await supervisor.async(task('whichThread')).await();
  expect(thread).toBeGreaterThan(0);
});

it('rejects with the remote error, class, message, code and stack kept; the thread stays', async () => {
  const thread = await supervisor.async(task('whichThread')).await();
  const failure = supervisor.async(task('fail'), 'bad input').await();
  await expect(failure).rejects.toBeInstanceOf(TypeError);
  await expect(failure).rejects.toMatchObject({ message: 'bad input', code: 'E_TASK_FAILED', stack: expect.stringContaining('tasks.js') });
  const threads = await Promise.all([1, 2, 3].map(() => supervisor.async(task('whichThread')).await()));
  expect(threads).toContain(thread);
});

it('rejects with TaskExitError when a task ends its thread, and the next task succeeds', async () => {
  await expect(supervisor.async(task('exitThread')).await()).rejects.toBeInstanceOf(TaskExitError);
  await expect(supervisor.async(task('crashLater')).await()).rejects.toMatchObject({
    code: 'ERR_TASK_EXIT',
    message: expect.stringContaining('thrown from a timer'),
  });
  await expect(supervisor.async(task('add'), 1, 1).await()).resolves.toBe(2);
});

it('cancels a task that outlives its await timeout, ending its thread', async () => {
  const single = TaskSupervisor.start({ name: 'single', minThreads: 1, maxThreads: 1 });
  try {
    const before = await single.async(task('whichThread')).await();
    const slow = single.async(task('sleep'), 10_000);
    await expect(slow.await(100)).rejects.toBeInstanceOf(TaskTimeoutError);
    await expect(slow.await(100)).rejects.toMatchObject({ code: 'ERR_TASK_TIMEOUT', timeoutMs: 100 });
    const after = await single.async(task('whichThread')).await();
    expect(after).not.toBe(before);
  } finally {
    await single.shutdown();
  }
});

it('yield returns nothing yet without cancelling, then the outcome', async () => {
  const running = supervisor.async(task('sleep'), 150, 'done');
  await expect(running.yield(10)).resolves.toBeUndefined();
  await expect(running.yield(5000)).resolves.toEqual({ status: 'ok', value: 'done' });
  await expect(running.await()).resolves.toBe('done');
});

it('awaitMany returns results in order, and cancels the rest on timeout', async () => {
  const results = await awaitMany([supervisor.async(task('sleep'), 60, 'a'), supervisor.async(task('sleep'), 10, 'b')]);
  expect(results).toEqual(['a', 'b']);
  const done = supervisor.async(task('sleep'), 0, 'y');
  await done.await();
  const slow = supervisor.async(task('sleep'), 10_000, 'x');
  const waiting = supervisor.async(task('sleep'), 10_000, 'z');
  await expect(awaitMany([done, slow, waiting], 100)).rejects.toBeInstanceOf(TaskTimeoutError);
  await expect(done.yield(0)).resolves.toEqual({ status: 'ok', value: 'y' });
  // The task whose await ran out reports the timeout; the one after it was shut down.
  await expect(slow.yield(0)).resolves.toMatchObject({ status: 'exit', reason: { code: 'ERR_TASK_TIMEOUT' } });
  await expect(waiting.yield(0)).resolves.toMatchObject({ status: 'exit', reason: { code: 'ERR_TASK_CANCELLED' } });
});

it('asyncNolink reports failures as values', async () => {
  await expect(supervisor.asyncNolink(task('add'), 1, 2).outcome()).resolves.toEqual({ status: 'ok', value: 3 });
  const failed = await supervisor.asyncNolink(task('fail'), 'nope').outcome();
  expect(failed.status).toBe('exit');
  expect(failed.status === 'exit' && failed.reason).toBeInstanceOf(TypeError);
  const timedOut = await supervisor.asyncNolink(task('sleep'), 10_000).outcome(50);
  expect(timedOut.status === 'exit' && timedOut.reason).toBeInstanceOf(TaskTimeoutError);
});

it('refuses unknown modules at submit and unknown exports with a typed error', async () => {
  expect(() => supervisor.async(taskRef<typeof Tasks, 'add'>(fixturePath('no-such-tasks'), 'add'), 1, 2)).toThrow(TaskModuleError);
  expect(() => supervisor.async(taskRef<typeof Tasks, 'add'>(fixturePath('no-such-tasks'), 'add'), 1, 2)).toThrow(/no module at .*no-such-tasks\.js/);
  await expect(supervisor.async(taskRef<Record<string, () => void>, 'nothing'>(TASKS, 'nothing')).await()).rejects.toMatchObject({
    name: 'TaskModuleError',
    code: 'ERR_TASK_EXPORT_NOT_FOUND',
    message: expect.stringMatching(/has no exported function nothing \(found .*add.*\)/),
  });
});

it('refuses arguments and results that cannot be cloned, and the thread stays', async () => {
  await expect(supervisor.async(task('add'), (() => 1) as never, 2).await()).rejects.toBeInstanceOf(PayloadNotCloneableError);
  await expect(supervisor.async(task('returnsFunction')).await()).rejects.toMatchObject({
    name: 'PayloadNotCloneableError',
    message: expect.stringContaining('the task result cannot cross a thread'),
  });
  await expect(supervisor.async(task('add'), 2, 2).await()).resolves.toBe(4);
});

it('rejects a task past maxQueue with TaskQueueFullError', async () => {
  const tight = TaskSupervisor.start({ name: 'tight', minThreads: 1, maxThreads: 1, maxQueue: 1 });
  try {
    const running = tight.async(task('sleep'), 200);
    const queued = tight.async(task('sleep'), 10);
    expect(() => tight.async(task('sleep'), 10)).toThrow(TaskQueueFullError);
    expect(() => tight.async(task('sleep'), 10)).toThrow(/queue is full \(maxQueue 1\)/);
    await expect(Promise.all([running.await(), queued.await()])).resolves.toEqual([200, 10]);
    await expect(tight.async(task('sleep'), 1).await()).resolves.toBe(1);
  } finally {
    await tight.shutdown();
  }
});

describe('asyncStream', () => {
  // Both threads up first: these tests compare task durations, not thread start-up.
  beforeEach(() => supervisor.warmUp());

  it('yields results in input order', async () => {
    const outcomes = [];
    for await (const outcome of supervisor.asyncStream([40, 5, 20, 1], task('slowSquare'), { maxConcurrency: 2 })) outcomes.push(outcome);
    expect(outcomes).toEqual([1600, 25, 400, 1].map((value) => ({ status: 'ok', value })));
  });

  it('yields results as they finish with ordered: false', async () => {
    const values: number[] = [];
    for await (const outcome of supervisor.asyncStream([150, 5], task('slowSquare'), { ordered: false, maxConcurrency: 2 })) {
      if (outcome.status === 'ok') values.push(outcome.value);
    }
    expect(values).toEqual([25, 22500]);
  });

  it('with onTimeout killTask, yields an exit for the slow item and goes on', async () => {
    const outcomes = [];
    for await (const outcome of supervisor.asyncStream([5, 3000, 7], task('slowSquare'), { timeoutMs: 300, onTimeout: 'killTask' })) outcomes.push(outcome);
    expect(outcomes[0]).toEqual({ status: 'ok', value: 25 });
    expect(outcomes[1]!.status === 'exit' && outcomes[1]!.reason).toBeInstanceOf(TaskTimeoutError);
    expect(outcomes[2]).toEqual({ status: 'ok', value: 49 });
  });

  it('ends with TaskTimeoutError on a timeout by default', async () => {
    const consume = async () => {
      for await (const outcome of supervisor.asyncStream([3000], task('slowSquare'), { timeoutMs: 100 })) void outcome;
    };
    await expect(consume()).rejects.toBeInstanceOf(TaskTimeoutError);
  });
});

it('map splits a batch into chunks and returns the results in order', async () => {
  const items = Array.from({ length: 101 }, (_, index) => index);
  await expect(supervisor.map(items, task('square'), { chunkSize: 10 })).resolves.toEqual(items.map((x) => x * x));
  await expect(supervisor.map([], task('square'))).resolves.toEqual([]);
});

it('warmUp starts every thread and resolves once all are up', async () => {
  // A long idleTimeout: with minThreads 0, Piscina ends idle threads after it.
  const cold = TaskSupervisor.start({ name: 'cold', minThreads: 0, maxThreads: 2, idleTimeout: 60_000 });
  try {
    expect(cold.threadCount).toBe(0);
    await cold.warmUp();
    expect(cold.threadCount).toBe(2);
    await expect(cold.warmUp(3)).rejects.toThrow(/warmUp\(threads\) takes an integer from 1 to maxThreads \(2\)/);
  } finally {
    await cold.shutdown();
  }
});
