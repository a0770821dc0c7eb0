/**
 * How tasks reach threads: queued ahead on a thread (two bundles per thread), cancelled
 * there without ending the thread, requeued when their thread ends before they start, and
 * sent alone when a bundle they were in could not be posted. One thread, so every second
 * task is queued on the thread behind the first.
 */
import { PayloadNotCloneableError, TaskExitError, TaskSupervisor, TaskSupervisorClosedError, TaskTimeoutError, taskRef } from '../../../dist';
import type * as Tasks from '../../../dist/tests/fixtures/tasks';
import { fixturePath } from '../../../dist/tests/support/fixtures';

const TASKS = fixturePath('tasks');
const task = <K extends keyof typeof Tasks & string>(name: K) => taskRef<typeof Tasks, K>(TASKS, name);
let single: TaskSupervisor;

beforeEach(() => {
  single = TaskSupervisor.start({ name: 'single', minThreads: 1, maxThreads: 1 });
});

afterEach(() => single.shutdown());

it('cancels a task queued on a thread behind a running one without ending the thread', async () => {
  const thread = await single.async(task('whichThread')).await();
  const running = single.async(task('sleep'), 200, 'finished');
  const queuedOnThread = single.async(task('whichThread'));
  const next = single.async(task('whichThread'));
  await expect(queuedOnThread.shutdown()).resolves.toBeUndefined();
  await expect(queuedOnThread.yield(0)).resolves.toMatchObject({ status: 'exit', reason: { code: 'ERR_TASK_CANCELLED' } });
  await expect(running.await()).resolves.toBe('finished');
  await expect(next.await()).resolves.toBe(thread);
});

it('runs the tasks queued behind a timed-out task on a new thread', async () => {
  const thread = await single.async(task('whichThread')).await();
  const slow = single.async(task('sleep'), 10_000);
  const queuedOnThread = single.async(task('whichThread'));
  await expect(slow.await(100)).rejects.toBeInstanceOf(TaskTimeoutError);
  const replacement = await queuedOnThread.await();
  expect(replacement).not.toBe(thread);
  expect(replacement).toBeGreaterThan(0);
});

it('runs the tasks queued behind a task that ends its thread', async () => {
  const exiting = single.async(task('exitThread'));
  const queuedOnThread = single.async(task('add'), 1, 1);
  await expect(exiting.await()).rejects.toBeInstanceOf(TaskExitError);
  await expect(queuedOnThread.await()).resolves.toBe(2);
});

it('fails only the task whose arguments cannot be cloned when it shares a bundle', async () => {
  // One run first: a task is bundled with others once its run time is known.
  await single.async(task('echo'), 0).await();
  const values = Array.from({ length: 40 }, (_, index) => index);
  const tasks = values.map((value) => single.async(task('echo'), value === 17 ? ((() => value) as never) : value));
  const outcomes = await Promise.all(tasks.map((started) => started.yield(5000)));
  outcomes.forEach((outcome, index) => {
    if (index === 17) expect(outcome?.status === 'exit' && outcome.reason).toBeInstanceOf(PayloadNotCloneableError);
    else expect(outcome).toEqual({ status: 'ok', value: index });
  });
});

it('gives each task of a burst its own result', async () => {
  const values = Array.from({ length: 2000 }, (_, index) => index);
  const results = await Promise.all(values.map((value) => single.async(task('echo'), value).await()));
  expect(results).toEqual(values);
});

it('refuses tasks after shutdown with TaskSupervisorClosedError and finishes those already submitted', async () => {
  const submitted = single.async(task('sleep'), 50, 'kept');
  const closing = single.shutdown();
  expect(() => single.async(task('add'), 1, 2)).toThrow(TaskSupervisorClosedError);
  expect(() => single.async(task('add'), 1, 2)).toThrow('single: it is shut down');
  await expect(submitted.await()).resolves.toBe('kept');
  await closing;
});
