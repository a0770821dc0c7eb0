/**
 * Every wait on tasks has an end: a pool's shutdown (a deadline, then the running tasks
 * are cancelled and their awaiters told), a map (a timeout, an AbortSignal), a stream (an
 * AbortSignal). Tasks that never settle, and one that never yields its thread.
 */
import { TaskCancelledError, TaskSupervisor, TaskSupervisorClosedError, TaskTimeoutError, taskRef } from '../../../dist';
import type * as Tasks from '../../../dist/tests/fixtures/tasks';
import { fixturePath } from '../../../dist/tests/support/fixtures';

const TASKS = fixturePath('tasks');
const task = <K extends keyof typeof Tasks & string>(name: K) => taskRef<typeof Tasks, K>(TASKS, name);
let pool: TaskSupervisor;

beforeEach(() => {
  pool = TaskSupervisor.start({ name: 'deadlines', minThreads: 1, maxThreads: 2 });
});

afterEach(() => pool.shutdown(0));

describe('shutdown(timeoutMs)', () => {
  it('past the deadline, cancels a task that never settles, one that never yields its thread and one queued behind them, and ends', async () => {
    const hung = pool.async(task('hang'));
    const spinning = pool.async(task('spin'), 1e9);
    const queued = pool.async(task('add'), 1, 2);
    const began = performance.now();
    await pool.shutdown(200);
    expect(performance.now() - began).toBeGreaterThanOrEqual(190);
    for (const cancelled of [hung, spinning, queued]) {
      await expect(cancelled.await()).rejects.toBeInstanceOf(TaskCancelledError);
      await expect(cancelled.await()).rejects.toMatchObject({ cancelledBy: 'supervisor_shutdown', message: expect.stringContaining('200 ms later') });
    }
    expect(pool.threadCount).toBe(0);
  });

  it('lets tasks that finish within the deadline finish, and resolves as soon as they have', async () => {
    const slow = pool.async(task('sleep'), 100, 'done');
    await pool.shutdown(10_000);
    await expect(slow.await()).resolves.toBe('done');
  });

  it('a second call with a shorter deadline cuts the first one short', async () => {
    const hung = pool.async(task('hang'));
    const patient = pool.shutdown(Infinity);
    const impatient = pool.shutdown(50);
    await Promise.all([patient, impatient]);
    await expect(hung.await()).rejects.toMatchObject({ code: 'ERR_TASK_CANCELLED', cancelledBy: 'supervisor_shutdown' });
  });

  it('refuses work after shutdown with its own error, for async, asyncNolink, map and asyncStream', async () => {
    await pool.shutdown();
    expect(() => pool.async(task('add'), 1, 2)).toThrow(TaskSupervisorClosedError);
    expect(() => pool.asyncNolink(task('add'), 1, 2)).toThrow(TaskSupervisorClosedError);
    await expect(pool.map([1, 2], task('square'))).rejects.toMatchObject({ code: 'ERR_TASK_SUPERVISOR_CLOSED' });
    await expect(pool.asyncStream([1], task('square')).next()).rejects.toMatchObject({ code: 'ERR_TASK_SUPERVISOR_CLOSED' });
  });

  it('rejects a bad timeout, naming it', () => {
    expect(() => pool.shutdown(-1)).toThrow('timeoutMs must be a non-negative number');
  });
});

describe('map', () => {
  it('past its timeout, cancels what runs and rejects with TaskTimeoutError; the pool still works', async () => {
    const mapping = pool.map([1e9, 1e9, 1e9, 1e9], task('spin'), { timeoutMs: 100 });
    await expect(mapping).rejects.toBeInstanceOf(TaskTimeoutError);
    await expect(mapping).rejects.toThrow('spin.map of 4');
    await expect(pool.async(task('add'), 2, 3).await()).resolves.toBe(5);
  });

  it('an aborted signal cancels what runs; one aborted before starts nothing', async () => {
    const controller = new AbortController();
    const mapping = pool.map([10, 20], task('spin'), { signal: controller.signal, chunkSize: 1 });
    setImmediate(() => controller.abort(new Error('the client went away')));
    await expect(mapping).rejects.toMatchObject({ code: 'ERR_TASK_CANCELLED', cancelledBy: 'abort_signal', message: expect.stringContaining('the client went away') });
    await expect(pool.map([1], task('square'), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(TaskCancelledError);
    await expect(pool.map([3], task('square'), { signal: new AbortController().signal, timeoutMs: 5000 })).resolves.toEqual([9]);
  });

  it('rejects a bad signal, naming it', async () => {
    await expect(pool.map([1], task('square'), { signal: 'stop' as unknown as AbortSignal })).rejects.toThrow('options.signal must be an AbortSignal');
  });
});

describe('asyncStream', () => {
  it('an aborted signal ends the stream with TaskCancelledError and cancels what runs', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const consume = async () => {
      for await (const outcome of pool.asyncStream([1, 2, 3], task('slowSquare'), { signal: controller.signal, timeoutMs: Infinity })) {
        if (outcome.status === 'ok') seen.push(outcome.value);
        controller.abort();
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'ERR_TASK_CANCELLED', cancelledBy: 'abort_signal' });
    expect(seen).toEqual([1]);
    await expect(pool.async(task('add'), 1, 1).await()).resolves.toBe(2);
  });

  it('an abort ends a stream waiting on an input that never comes', async () => {
    const never: AsyncIterable<number> = { [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => {}) }) };
    const stream = pool.asyncStream(never, task('square'), { signal: AbortSignal.timeout(50) });
    await expect(stream.next()).rejects.toMatchObject({ cancelledBy: 'abort_signal' });
  });
});
