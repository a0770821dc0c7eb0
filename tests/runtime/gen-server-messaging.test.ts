/**
 * Calls, casts and messages between the main thread and real GenServer threads, and
 * between processes; what callers get when things go wrong. Tracing is off here (the
 * tracing suite covers spans), which also exercises the untraced path.
 */
import {
  CallTimeoutError,
  InvalidReturnError,
  NoProcessError,
  PayloadNotCloneableError,
  ProcessExitError,
  call,
  cast,
  send,
  startGenServer,
  type ExitReason,
  type GenServer,
} from '../../dist';
import type Counter from '../../dist/tests/fixtures/counter-server';
import { fixturePath } from '../../dist/tests/support/fixtures';

type CounterServer = GenServer<typeof Counter>;
const running: CounterServer[] = [];

async function startCounter(name?: string): Promise<CounterServer> {
  const server = await startGenServer<typeof Counter>(fixturePath('counter-server'), undefined, name ? { name } : {});
  running.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.kill()));
});

it('answers a call with the reply of handleCall', async () => {
  const counter = await startCounter();
  await expect(counter.call({ type: 'echo', value: { nested: [1, 'two'] } })).resolves.toEqual({ nested: [1, 'two'] });
});

it('handles 1,000 casts then a call in arrival order', async () => {
  const counter = await startCounter();
  for (let value = 0; value < 1000; value++) counter.cast({ type: 'append', value });
  const values = await counter.call({ type: 'get' });
  expect(values).toEqual(Array.from({ length: 1000 }, (_, index) => index));
});

it('holds the mailbox while an async callback runs', async () => {
  const counter = await startCounter();
  const slow = counter.call({ type: 'sleep', ms: 50, value: 'slow' });
  counter.cast({ type: 'append', value: 'after-slow' });
  const seen = await counter.call({ type: 'get' });
  await expect(slow).resolves.toBe('slow');
  expect(seen).toEqual(['after-slow']);
});

it('replies later with reply(from, value), serving other messages meanwhile', async () => {
  const counter = await startCounter();
  const first = counter.call({ type: 'defer' });
  const second = counter.call({ type: 'defer' });
  await expect(counter.call({ type: 'echo', value: 'still serving' })).resolves.toBe('still serving');
  counter.cast({ type: 'release', value: 'released' });
  await expect(Promise.all([first, second])).resolves.toEqual(['released', 'released']);
});

it('rejects a timed-out call, drops the late reply, and goes on serving', async () => {
  const counter = await startCounter();
  const timedOut = counter.call({ type: 'sleep', ms: 300, value: 'late' }, { timeoutMs: 50 });
  await expect(timedOut).rejects.toBeInstanceOf(CallTimeoutError);
  await expect(timedOut).rejects.toMatchObject({ code: 'ERR_CALL_TIMEOUT', timeoutMs: 50 });
  // The next call is answered with its own reply, not the late one.
  await expect(counter.call({ type: 'echo', value: 'next' })).resolves.toBe('next');
  expect(counter.alive).toBe(true);
});

it('rejects every in-flight and queued call at once when the process crashes', async () => {
  const counter = await startCounter();
  const deferred = counter.call({ type: 'defer' });
  const crash = counter.call({ type: 'crash', message: 'boom' });
  const queued = [counter.call({ type: 'get' }), counter.call({ type: 'echo', value: 1 })];
  const started = Date.now();
  const outcomes = await Promise.allSettled([deferred, crash, ...queued]);
  // "At once": long before the 5 s default timeout would have fired.
  expect(Date.now() - started).toBeLessThan(2500);
  for (const outcome of outcomes) {
    expect(outcome.status).toBe('rejected');
    const error = (outcome as PromiseRejectedResult).reason as ProcessExitError;
    expect(error).toBeInstanceOf(ProcessExitError);
    expect(error.process).toEqual({ pid: counter.pid.pid, name: undefined });
    expect(error.reason.type).toBe('error');
    expect(error.message).toContain('RangeError: boom');
    expect((error.cause as Error).name).toBe('RangeError');
    expect((error.cause as Error).stack).toContain('counter-server');
  }
  const reason = await counter.exited();
  expect(reason.type === 'error' && reason.error).toBeInstanceOf(RangeError);
});

it('crashes with a reason that says what an invalid callback returned', async () => {
  const counter = await startCounter();
  const failure = counter.call({ type: 'invalid_return' });
  await expect(failure).rejects.toBeInstanceOf(ProcessExitError);
  const reason = (await counter.exited()) as Extract<ExitReason, { type: 'error' }>;
  expect(reason.error).toBeInstanceOf(InvalidReturnError);
  expect(reason.error.message).toBe(
    'worker-otp: counter.handleCall returned {"replied":"oops"}; it must return { reply, state }, { noreply: true, state }, or { stop, state } (with an optional reply)',
  );
});

it('refuses a message that cannot be cloned, at the sender, and the process stays up', async () => {
  const counter = await startCounter();
  await expect(counter.call({ type: 'echo', value: () => 1 })).rejects.toBeInstanceOf(PayloadNotCloneableError);
  expect(() => counter.cast({ type: 'append', value: Symbol('no') })).toThrow(PayloadNotCloneableError);
  expect(() => counter.send({ handle: () => 2 })).toThrow(/the message cannot cross a thread/);
  await expect(counter.call({ type: 'get' })).resolves.toEqual([]);
});

it('rejects the caller when a reply cannot be cloned, and the process stays up', async () => {
  const counter = await startCounter();
  await expect(counter.call({ type: 'unclonable_reply' })).rejects.toMatchObject({
    name: 'PayloadNotCloneableError',
    code: 'ERR_PAYLOAD_NOT_CLONEABLE',
  });
  await expect(counter.call({ type: 'unclonable_reply' })).rejects.toBeInstanceOf(PayloadNotCloneableError);
  await expect(counter.call({ type: 'echo', value: 'alive' })).resolves.toBe('alive');
});

it('fails at once for a name that is not registered, and for a process that has exited', async () => {
  await expect(call('nobody_here', { type: 'get' })).rejects.toBeInstanceOf(NoProcessError);
  expect(() => cast('nobody_here', {})).toThrow(NoProcessError);
  expect(() => send('nobody_here', {})).toThrow(/no process nobody_here is running/);
  const counter = await startCounter();
  await counter.stop();
  await expect(counter.call({ type: 'get' })).rejects.toMatchObject({ code: 'ERR_NO_PROCESS' });
  await expect(call(counter.pid, { type: 'get' })).rejects.toBeInstanceOf(NoProcessError);
});

it('calls by registered name', async () => {
  await startCounter('named_counter');
  cast('named_counter', { type: 'append', value: 'by name' });
  await expect(call('named_counter', { type: 'get' })).resolves.toEqual(['by name']);
});

it('lets a process call, cast to and message another, by name and by pid', async () => {
  const front = await startCounter('front');
  const back = await startCounter('back');
  await expect(front.call({ type: 'forward', target: 'back', request: { type: 'echo', value: 'via front' } })).resolves.toBe('via front');
  await expect(front.call({ type: 'forward', target: back.pid, request: { type: 'self' } })).resolves.toEqual(back.pid);
  front.cast({ type: 'forward', target: 'back', message: { type: 'append', value: 'relayed' } });
  // front sends its cast before it answers this call; both go out on one ordered channel.
  await front.call({ type: 'get' });
  await expect(back.call({ type: 'get' })).resolves.toEqual(['relayed']);
});

it('tells a process whose call targets a missing or crashing process, at once', async () => {
  const front = await startCounter('front2');
  await expect(front.call({ type: 'forward', target: 'missing', request: { type: 'get' } })).resolves.toEqual({
    failed: 'NoProcessError',
    code: 'ERR_NO_PROCESS',
    message: expect.stringContaining('no process missing is running'),
  });
  await startCounter('victim');
  await expect(front.call({ type: 'forward', target: 'victim', request: { type: 'crash', message: 'downstream' } })).resolves.toEqual({
    failed: 'ProcessExitError',
    code: 'ERR_PROCESS_EXIT',
    message: expect.stringMatching(/victim \(<0\.\d+>\) exited \(error: RangeError: downstream\)/),
  });
  expect(front.alive).toBe(true);
});

it('delivers a message a process scheduled for itself with sendAfter', async () => {
  const counter = await startCounter();
  await expect(counter.call({ type: 'schedule', delayMs: 20, message: 'tick' })).resolves.toBe('scheduled');
  counter.send('direct');
  // Answered by the process itself once both messages have arrived (a deferred reply).
  await expect(counter.call({ type: 'infos', atLeast: 2 })).resolves.toEqual(['direct', 'tick']);
});
