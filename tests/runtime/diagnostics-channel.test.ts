/**
 * The `diagnostics_channel` messages, as a tool subscribed to them sees a scripted run:
 * process starts and exits (with the reason), a supervisor's restart (old and new pid),
 * task starts and finishes (with their outcome).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { Supervisor, TaskSupervisor, call, startGenServer, taskRef, workerChild } from '../../dist';
import type * as Tasks from '../../dist/tests/fixtures/tasks';
import { fixturePath } from '../../dist/tests/support/fixtures';

const NAMES = ['worker-otp:process:start', 'worker-otp:process:exit', 'worker-otp:supervisor:restart', 'worker-otp:task:start', 'worker-otp:task:finish'];
const seen: Array<{ channel: string; message: any }> = [];
const listeners = NAMES.map((channel) => {
  const listener = (message: unknown) => seen.push({ channel, message });
  diagnosticsChannel.subscribe(channel, listener);
  return () => diagnosticsChannel.unsubscribe(channel, listener);
});
afterAll(() => listeners.forEach((unsubscribe) => unsubscribe()));

const on = (channel: string) => seen.filter((event) => event.channel === `worker-otp:${channel}`).map((event) => event.message);

it('tells a process start and its exit with the reason', async () => {
  const server = await startGenServer(fixturePath('edge-server'), {}, { name: 'announced' });
  expect(on('process:start')).toContainEqual(expect.objectContaining({ pid: server.pid.pid, name: 'announced', label: 'announced', module: fixturePath('edge-server') }));
  await server.stop('shutdown');
  expect(on('process:exit')).toContainEqual(expect.objectContaining({ pid: server.pid.pid, name: 'announced', reason: { type: 'shutdown' } }));
});

it('tells a restart with the child, its old and new pid, and why it went down', async () => {
  const supervisor = await Supervisor.start([workerChild('crashy', fixturePath('edge-server'), {}, { name: 'restarted_one' })], { name: 'told_sup' });
  try {
    const before = supervisor.whichChildren()[0]!.pid as { pid: number };
    await expect(call('restarted_one', { type: 'throw', value: new RangeError('on purpose') })).rejects.toThrow('on purpose');
    await supervisor.settled();
    const after = supervisor.whichChildren()[0]!;
    expect(after.restarts).toBe(1);
    const restart = on('supervisor:restart').find((message) => message.supervisor === 'told_sup');
    expect(restart).toMatchObject({ childId: 'crashy', oldPid: before.pid, newPid: (after.pid as { pid: number }).pid, reason: { type: 'error' } });
    expect(restart.reason.error.message).toBe('on purpose');
    expect(on('process:exit')).toContainEqual(expect.objectContaining({ pid: before.pid, reason: expect.objectContaining({ type: 'error' }) }));
  } finally {
    await supervisor.stop();
  }
});

it('tells each task submitted and settled, with its outcome', async () => {
  const pool = TaskSupervisor.start({ name: 'told_pool', maxThreads: 1 });
  try {
    await pool.async(taskRef<typeof Tasks, 'add'>(fixturePath('tasks'), 'add'), 1, 2).await();
    await expect(pool.async(taskRef<typeof Tasks, 'fail'>(fixturePath('tasks'), 'fail'), 'no').await()).rejects.toThrow('no');
    const started = on('task:start').filter((message) => message.supervisor === 'told_pool');
    const finished = on('task:finish').filter((message) => message.supervisor === 'told_pool');
    expect(started.map((message) => message.export)).toEqual(['add', 'fail']);
    expect(finished.map((message) => [message.export, message.outcome])).toEqual([['add', 'ok'], ['fail', 'error']]);
    expect(finished.map((message) => message.id)).toEqual(started.map((message) => message.id));
    expect(finished.every((message) => message.durationMs >= 0)).toBe(true);
  } finally {
    await pool.shutdown();
  }
});
