/**
 * Starting, stopping, killing and monitoring real GenServer threads; names; start errors.
 */
import { join } from 'node:path';
import {
  NameAlreadyRegisteredError,
  StartError,
  monitor,
  startGenServer,
  whereis,
  type ExitReason,
  type GenServer,
} from '../../dist';
import type Counter from '../../dist/tests/fixtures/counter-server';
import type { CounterInit } from '../../dist/tests/fixtures/counter-server';
import { fixturePath } from '../../dist/tests/support/fixtures';

type CounterServer = GenServer<typeof Counter>;
const running: CounterServer[] = [];

async function startCounter(init?: CounterInit, options: Parameters<typeof startGenServer>[2] = {}): Promise<CounterServer> {
  const server = await startGenServer<typeof Counter>(fixturePath('counter-server'), init, options);
  running.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.kill()));
});

/** Collects the exit reasons a monitor reports. */
function watch(server: CounterServer): ExitReason[] {
  const seen: ExitReason[] = [];
  server.monitor((reason) => seen.push(reason));
  return seen;
}

describe('start', () => {
  it('resolves once init has completed, in a thread of its own', async () => {
    const counter = await startCounter();
    expect(counter.alive).toBe(true);
    expect(counter.threadId).toBeGreaterThan(0);
    expect(counter.label).toBe('counter');
    await expect(counter.call({ type: 'get' })).resolves.toEqual([]);
  });

  it.each([
    ['throws', 'throw', /did not start: error: TypeError: init refused/],
    ['returns { stop }', 'stop', /did not start: stop: "not_today"/],
    ['returns an invalid value', 'invalid', /failing_invalid\.init returned 42; it must return \{ ok: state \} or \{ stop: reason \}/],
  ] as const)('rejects when init %s, and the thread is gone', async (_label, failInit, message) => {
    const failure = startGenServer<typeof Counter>(fixturePath('counter-server'), { failInit }, { name: `failing_${failInit}` });
    await expect(failure).rejects.toBeInstanceOf(StartError);
    await expect(failure).rejects.toMatchObject({ code: 'ERR_INIT_FAILED', message: expect.stringMatching(message) });
    expect(whereis(`failing_${failInit}`)).toBeUndefined();
  });

  it('rejects an init that never returns after startTimeoutMs', async () => {
    const failure = startGenServer<typeof Counter>(fixturePath('counter-server'), { failInit: 'hang' }, { startTimeoutMs: 100, name: 'hanging' });
    await expect(failure).rejects.toMatchObject({ code: 'ERR_START_TIMEOUT', message: expect.stringContaining('within 100 ms') });
    expect(whereis('hanging')).toBeUndefined();
  });

  it('rejects a module path that does not exist, naming the file', async () => {
    const missing = join(__dirname, 'no-such-server.js');
    await expect(startGenServer(missing, undefined)).rejects.toMatchObject({
      name: 'StartError',
      code: 'ERR_MODULE_NOT_FOUND',
      message: expect.stringContaining(missing),
    });
  });

  it('rejects a module without a GenServer default export, saying what it found', async () => {
    await expect(startGenServer(fixturePath('not-a-genserver'), undefined)).rejects.toMatchObject({
      code: 'ERR_NOT_A_GENSERVER',
      message: expect.stringMatching(/not-a-genserver\.js has no GenServer default export \(found exports .*helper.*\); write `export default defineGenServer/),
    });
  });

  it('rejects a module that throws while loading', async () => {
    await expect(startGenServer(fixturePath('throws-at-import'), undefined)).rejects.toMatchObject({
      code: 'ERR_MODULE_LOAD',
      message: expect.stringContaining('this module cannot be loaded'),
    });
  });

  it('rejects bad options, naming the field', async () => {
    await expect(startCounter(undefined, { name: '' })).rejects.toThrow(/options\.name must be a non-empty string/);
    await expect(startCounter(undefined, { startTimeoutMs: -1 })).rejects.toThrow(/options\.startTimeoutMs must be a non-negative number/);
  });
});

describe('names', () => {
  it('registers a name, refuses a duplicate, and frees it at exit', async () => {
    const first = await startCounter(undefined, { name: 'cache' });
    expect(whereis('cache')).toEqual(first.pid);
    await expect(startCounter(undefined, { name: 'cache' })).rejects.toBeInstanceOf(NameAlreadyRegisteredError);
    await first.stop();
    expect(whereis('cache')).toBeUndefined();
    const second = await startCounter(undefined, { name: 'cache' });
    expect(whereis('cache')).toEqual(second.pid);
    expect(second.pid).not.toEqual(first.pid);
  });
});

describe('stop, kill and monitors', () => {
  it('stop runs terminate, then the thread ends; monitors hear normal, once', async () => {
    const counter = await startCounter();
    const seen = watch(counter);
    await counter.stop();
    expect(counter.alive).toBe(false);
    expect(seen).toEqual([{ type: 'normal' }]);
    await counter.stop(); // idempotent once exited
    expect(seen).toHaveLength(1);
  });

  it('stop with a shutdown reason reports it', async () => {
    const counter = await startCounter();
    const seen = watch(counter);
    await counter.stop({ shutdown: 'maintenance' });
    expect(seen).toEqual([{ type: 'shutdown', detail: 'maintenance' }]);
  });

  it('kills a process whose terminate outlives the stop timeout', async () => {
    const counter = await startCounter({ hangInTerminate: true });
    const seen = watch(counter);
    const started = Date.now();
    await counter.stop('normal', 100);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(seen).toEqual([{ type: 'killed' }]);
  });

  it('kill ends the thread without terminate; monitors hear killed', async () => {
    const counter = await startCounter();
    const seen: Array<[ExitReason, number]> = [];
    monitor(counter.pid, (reason, pid) => seen.push([reason, pid]));
    await counter.kill();
    expect(seen).toEqual([[{ type: 'killed' }, counter.pid.pid]]);
  });

  it('reports a crash as an error exit, with the error rebuilt', async () => {
    const counter = await startCounter();
    const seen = watch(counter);
    counter.cast({ type: 'crash', message: 'cast crash' });
    const reason = await counter.exited();
    expect(seen).toEqual([reason]);
    expect(reason.type).toBe('error');
    expect(reason.type === 'error' && reason.error.message).toBe('cast crash');
  });

  it('reports a stop result with its own reason as an abnormal exit, after replying', async () => {
    const counter = await startCounter();
    const seen = watch(counter);
    await expect(counter.call({ type: 'stop', reason: 'done_here', reply: 'bye' })).resolves.toBe('bye');
    await counter.exited();
    expect(seen).toEqual([{ type: 'stop', detail: 'done_here' }]);
  });

  it('reports running out of memory under resourceLimits as out_of_memory', async () => {
    const counter = await startCounter(undefined, { resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } });
    const seen = watch(counter);
    await expect(counter.call({ type: 'allocate' }, { timeoutMs: 20_000 })).rejects.toMatchObject({
      code: 'ERR_PROCESS_EXIT',
      reason: { type: 'out_of_memory' },
    });
    await counter.exited();
    expect(seen).toEqual([{ type: 'out_of_memory' }]);
  });

  it('refuses to monitor a process that is not running', async () => {
    const counter = await startCounter();
    await counter.kill();
    expect(() => counter.monitor(() => {})).toThrow(/no process <0\.\d+> is running/);
  });
});
