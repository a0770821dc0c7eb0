/**
 * A corpus of bad input, each with the error it gets, and proof that nothing else broke:
 * a long-lived process and a task pool answer after every entry.
 */
import { resolveTelemetryOptions } from '../../dist/runtime/telemetry-options';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CallTimeoutError,
  NoProcessError,
  PayloadNotCloneableError,
  StartError,
  Supervisor,
  TaskModuleError,
  TaskSupervisor,
  call,
  startGenServer,
  stop,
  taskRef,
  type GenServer,
} from '../../dist';
import type Counter from '../../dist/tests/fixtures/counter-server';
import type * as Tasks from '../../dist/tests/fixtures/tasks';
import { fixturePath } from '../../dist/tests/support/fixtures';

const COUNTER = fixturePath('counter-server');
const echoTask = taskRef<typeof Tasks, 'echo'>(fixturePath('tasks'), 'echo');
const returnsFunction = taskRef<typeof Tasks, 'returnsFunction'>(fixturePath('tasks'), 'returnsFunction');
const MB32 = 'x'.repeat(32 * 1024 * 1024);

let canary: GenServer<typeof Counter>;
let tasks: TaskSupervisor;
let directory: string;

beforeAll(async () => {
  canary = await startGenServer<typeof Counter>(COUNTER, undefined, { name: 'canary' });
  tasks = TaskSupervisor.start({ name: 'bad_input_tasks', minThreads: 1, maxThreads: 2 });
  directory = mkdtempSync(join(tmpdir(), 'worker-otp-bad-input-'));
});

afterAll(async () => {
  await canary.stop();
  await tasks.shutdown();
  rmSync(directory, { recursive: true, force: true });
});

afterEach(async () => {
  // Nothing else broke: the long-lived process and the pool still answer.
  await expect(canary.call({ type: 'echo', value: 'still here' })).resolves.toBe('still here');
  await expect(tasks.async(echoTask, 'pool still here').await()).resolves.toBe('pool still here');
});

const startCounter = (options = {}, init?: Parameters<typeof startGenServer>[1]) => startGenServer<typeof Counter>(COUNTER, init as never, options);

const corpus: Array<[string, () => Promise<void>]> = [
  ['a call with a function in it', async () => {
    await expect(canary.call({ type: 'echo', value: { run: () => 1 } })).rejects.toBeInstanceOf(PayloadNotCloneableError);
  }],
  ['a cast with a symbol in it', async () => {
    expect(() => canary.cast({ type: 'append', value: Symbol('s') })).toThrow(PayloadNotCloneableError);
  }],
  ['a plain message holding a class instance with a method', async () => {
    class Handle { close() {} }
    expect(() => canary.send({ handle: new Handle(), close: Handle.prototype.close })).toThrow(PayloadNotCloneableError);
  }],
  ['a reply that cannot be cloned', async () => {
    await expect(canary.call({ type: 'unclonable_reply' })).rejects.toBeInstanceOf(PayloadNotCloneableError);
  }],
  ['task arguments that cannot be cloned', async () => {
    await expect(tasks.async(echoTask, (() => 1) as never).await()).rejects.toBeInstanceOf(PayloadNotCloneableError);
  }],
  ['a task result that cannot be cloned', async () => {
    await expect(tasks.async(returnsFunction).await()).rejects.toBeInstanceOf(PayloadNotCloneableError);
  }],
  ['a 32 MB payload through call (answered intact)', async () => {
    const echoed = (await canary.call({ type: 'echo', value: MB32 })) as string;
    expect(echoed.length).toBe(MB32.length);
  }],
  ['a 32 MB payload through cast (handled)', async () => {
    const counter = await startCounter();
    counter.cast({ type: 'append', value: MB32 });
    const values = (await counter.call({ type: 'get' })) as string[];
    expect(values[0]!.length).toBe(MB32.length);
    await counter.stop();
  }],
  ['a 32 MB payload through a task (returned intact)', async () => {
    expect(((await tasks.async(echoTask, MB32).await(30_000)) as string).length).toBe(MB32.length);
  }],
  ['a call to a stopped process', async () => {
    const counter = await startCounter();
    await counter.stop();
    await expect(counter.call({ type: 'get' })).rejects.toBeInstanceOf(NoProcessError);
  }],
  ['a call to a killed process', async () => {
    const counter = await startCounter();
    await counter.kill();
    await expect(counter.call({ type: 'get' })).rejects.toBeInstanceOf(NoProcessError);
  }],
  ['a call to a name never started', async () => {
    await expect(call('never_started', { type: 'get' })).rejects.toBeInstanceOf(NoProcessError);
  }],
  ['a stop of a name never started', async () => {
    await expect(stop('never_started')).rejects.toBeInstanceOf(NoProcessError);
  }],
  ['a double stop (the second resolves: already exited)', async () => {
    const counter = await startCounter();
    await counter.stop();
    await expect(counter.stop()).resolves.toBeUndefined();
  }],
  ['a stop during init (init never returns: the stop timeout kills it, start rejects)', async () => {
    const starting = startCounter({ name: 'stopped_in_init', startTimeoutMs: 10_000 }, { failInit: 'hang' });
    await expect(stop('stopped_in_init', 'normal', 100)).resolves.toBeUndefined();
    await expect(starting).rejects.toMatchObject({ code: 'ERR_INIT_FAILED', message: expect.stringContaining('did not start: killed') });
  }],
  ['a module with a syntax error', async () => {
    const broken = join(directory, 'syntax-error.js');
    writeFileSync(broken, 'module.exports = { init( => 1 };\n');
    await expect(startGenServer(broken, undefined)).rejects.toMatchObject({ name: 'StartError', code: 'ERR_MODULE_LOAD' });
  }],
  ['a module that throws at import', async () => {
    await expect(startGenServer(fixturePath('throws-at-import'), undefined)).rejects.toMatchObject({ code: 'ERR_MODULE_LOAD' });
  }],
  ['a module exporting the wrong shape', async () => {
    await expect(startGenServer(fixturePath('not-a-genserver'), undefined)).rejects.toMatchObject({ code: 'ERR_NOT_A_GENSERVER' });
  }],
  ['a module path that does not exist', async () => {
    await expect(startGenServer(join(directory, 'missing.js'), undefined)).rejects.toBeInstanceOf(StartError);
  }],
  ['an init that never returns', async () => {
    await expect(startCounter({ startTimeoutMs: 100 }, { failInit: 'hang' })).rejects.toMatchObject({ code: 'ERR_START_TIMEOUT' });
  }],
  ['a terminate that never returns', async () => {
    const counter = await startCounter({}, { hangInTerminate: true });
    await counter.stop('normal', 100);
    expect(counter.exitReason).toEqual({ type: 'killed' });
  }],
  ['a call timeout that is not a number of ms', async () => {
    await expect(canary.call({ type: 'get' }, { timeoutMs: -5 })).rejects.toThrow(/options\.timeoutMs must be a non-negative number/);
  }],
  ['a call that outlives its timeout', async () => {
    await expect(canary.call({ type: 'sleep', ms: 300 }, { timeoutMs: 20 })).rejects.toBeInstanceOf(CallTimeoutError);
  }],
  ['a task naming a module that does not exist', async () => {
    expect(() => tasks.async(taskRef<typeof Tasks, 'echo'>(join(directory, 'nope.js'), 'echo'), 1)).toThrow(TaskModuleError);
  }],
  ['a task naming an export that does not exist', async () => {
    await expect(tasks.async(taskRef<Record<string, () => void>, 'missing'>(fixturePath('tasks'), 'missing')).await()).rejects.toMatchObject({ code: 'ERR_TASK_EXPORT_NOT_FOUND' });
  }],
  ['a task pool with no threads', async () => {
    expect(() => TaskSupervisor.start({ maxThreads: 0 })).toThrow(/options\.maxThreads must be an integer >= 1; got 0/);
  }],
  ['an invalid child spec', async () => {
    await expect(Supervisor.start([{ id: 'x', start: () => undefined as never, restart: 'always' as never }])).rejects.toThrow(/children\[0\]\.restart must be one of/);
  }],
  ['an invalid supervisor option', async () => {
    await expect(Supervisor.start([], { maxSeconds: -1 })).rejects.toThrow(/options\.maxSeconds must be a number > 0/);
  }],
  ['an invalid telemetry option', async () => {
    expect(() => resolveTelemetryOptions({ maxQueueSize: 0, env: {} })).toThrow(/options\.maxQueueSize must be a positive integer/);
  }],
  ['an invalid start option', async () => {
    await expect(startCounter({ name: '<0.1>' })).rejects.toThrow(/options\.name must be a non-empty string not starting with '<'/);
  }],
];

it.each(corpus)('%s', async (_name, run) => {
  await run();
}, 60_000);
