/**
 * OTP inside processes, on real threads: a process starts processes through the one process
 * table (unique pids), links to them (exits spread, or arrive as EXIT messages when
 * trapped), monitors them (DOWN), starts a supervision tree of its own (restarts as in the
 * main thread; stopped with its owner), runs tasks on a named pool (one trace from the main
 * thread's caller down to each task), and uses process groups.
 */
import { trace } from '@opentelemetry/api';
import { TaskSupervisor, call, groups, makePid, monitor, startGenServer, startTelemetry, stopAll, whereis, type GenServer } from '../../dist';
import type Counter from '../../dist/tests/fixtures/counter-server';
import type Parent from '../../dist/tests/fixtures/parent-server';
import type { ParentInfo } from '../../dist/tests/fixtures/parent-server';
import { fixturePath } from '../../dist/tests/support/fixtures';
import { OtlpReceiver } from '../../dist/tests/support/otlp-receiver';

type ParentServer = GenServer<typeof Parent>;
const COUNTER = fixturePath('counter-server');

function startParent(): Promise<ParentServer> {
  return startGenServer<typeof Parent>(fixturePath('parent-server'), undefined);
}

// What the tests and their processes started, children of processes included.
afterEach(() => stopAll({ timeoutMs: 5000 }));

describe('processes start processes', () => {
  it('through the one process table: pids are unique across the program, and the main thread reaches the children', async () => {
    const parent = await startParent();
    const fromMain = await startGenServer<typeof Counter>(COUNTER, undefined);
    const children = await Promise.all([1, 2, 3].map(() => parent.call({ type: 'spawn', module: COUNTER }) as Promise<number>));
    const another = await startGenServer<typeof Counter>(COUNTER, undefined);
    const pids = [parent.pid.pid, fromMain.pid.pid, ...children, another.pid.pid];
    expect(new Set(pids).size).toBe(pids.length);
    for (const pid of children) await expect(call(makePid(pid), { type: 'echo', value: pid })).resolves.toBe(pid);
    await expect(parent.call({ type: 'call', pid: children[0]!, request: { type: 'echo', value: 'via parent' } })).resolves.toBe('via parent');
  });

  it('a named child is found by name from anywhere', async () => {
    const parent = await startParent();
    const pid = (await parent.call({ type: 'spawn', module: COUNTER, options: { name: 'named_by_process' } })) as number;
    expect(whereis('named_by_process')?.pid).toBe(pid);
    await expect(parent.call({ type: 'whereis', name: 'named_by_process' })).resolves.toBe(pid);
  });

  it('the main entry\'s startGenServer inside a process is refused with a typed error that names the way that works', async () => {
    const parent = await startParent();
    await expect(parent.call({ type: 'main_api' })).resolves.toMatchObject({ code: 'ERR_PROCESS_CONTEXT', message: expect.stringContaining("'worker-otp/workers'") });
  });
});

describe('links', () => {
  it('a linked child\'s crash takes its parent down with the same reason', async () => {
    const parent = await startParent();
    const child = (await parent.call({ type: 'spawn', module: COUNTER, options: { link: true } })) as number;
    await expect(call(makePid(child), { type: 'crash', message: 'child broke' })).rejects.toMatchObject({ code: 'ERR_PROCESS_EXIT' });
    const reason = await parent.exited();
    expect(reason).toMatchObject({ type: 'error', error: { message: 'child broke' } });
  });

  it('a parent that traps exits gets the crash as an EXIT message and goes on; a normal exit arrives too, and spreads to no one', async () => {
    const parent = await startParent();
    await parent.call({ type: 'trap', on: true });
    const crashing = (await parent.call({ type: 'spawn', module: COUNTER, options: { link: true } })) as number;
    const stopping = (await parent.call({ type: 'spawn', module: COUNTER, options: { link: true } })) as number;
    await expect(call(makePid(crashing), { type: 'crash', message: 'trapped' })).rejects.toBeDefined();
    await expect(call(makePid(stopping), { type: 'stop', reason: 'normal', reply: 'bye' })).resolves.toBe('bye');
    let infos: ParentInfo[] = [];
    while (infos.length < 2) infos = (await parent.call({ type: 'infos' })) as ParentInfo[];
    expect(infos).toEqual(
      expect.arrayContaining([
        { type: 'EXIT', pid: { pid: crashing }, reason: expect.objectContaining({ type: 'error', error: expect.objectContaining({ message: 'trapped' }) }) },
        { type: 'EXIT', pid: { pid: stopping }, reason: { type: 'normal' } },
      ]),
    );
    expect(parent.alive).toBe(true);
  });

  it('a parent\'s crash takes its linked children down; a child that traps exits lives on', async () => {
    const parent = await startParent();
    const child = (await parent.call({ type: 'spawn', module: COUNTER, options: { link: true } })) as number;
    const trapping = await startParent();
    await trapping.call({ type: 'trap', on: true });
    await trapping.call({ type: 'link', pid: parent.pid.pid });
    const childExit = new Promise((resolve) => monitor(makePid(child), resolve));
    await expect(parent.call({ type: 'crash', message: 'parent broke' })).rejects.toBeDefined();
    await expect(childExit).resolves.toMatchObject({ type: 'error', error: { message: 'parent broke' } });
    let infos: ParentInfo[] = [];
    while (infos.length < 1) infos = (await trapping.call({ type: 'infos' })) as ParentInfo[];
    expect(infos[0]).toMatchObject({ type: 'EXIT', pid: { pid: parent.pid.pid }, reason: { type: 'error' } });
  });

  it('a linked child\'s normal exit leaves a parent that does not trap exits running', async () => {
    const parent = await startParent();
    const child = (await parent.call({ type: 'spawn', module: COUNTER, options: { link: true } })) as number;
    // Monitored first: once the reply is in, the child may already be gone.
    const childExit = new Promise((resolve) => monitor(makePid(child), resolve));
    await expect(call(makePid(child), { type: 'stop', reason: 'normal', reply: 'done' })).resolves.toBe('done');
    await childExit;
    await expect(parent.call({ type: 'infos' })).resolves.toEqual([]);
    expect(parent.alive).toBe(true);
  });

  it('linking to a process that is not running fails with NoProcessError (uncaught, it crashes the caller, as in OTP)', async () => {
    const parent = await startParent();
    await expect(parent.call({ type: 'link', pid: 999_999 })).rejects.toMatchObject({ code: 'ERR_PROCESS_EXIT', cause: { code: 'ERR_NO_PROCESS' } });
  });
});

it('a child started from a process runs its init inside the process\'s trace', async () => {
  const receiver = await OtlpReceiver.start();
  const telemetry = startTelemetry({ serviceName: 'otp-in-processes', endpoint: receiver.url, env: {} });
  try {
    const parent = await startParent();
    await trace.getTracer('test').startActiveSpan('main.spawn', async (span) => {
      await parent.call({ type: 'spawn', module: COUNTER });
      span.end();
    });
    await telemetry.shutdown();
    const root = receiver.only('main.spawn');
    const handle = receiver.spans.find((candidate) => candidate.name === 'parent.handle_call' && candidate.traceId === root.traceId)!;
    const init = receiver.only('counter.init');
    expect(init.traceId).toBe(root.traceId);
    expect(init.parentSpanId).toBe(handle.spanId);
  } finally {
    await telemetry.shutdown();
    await receiver.close();
  }
});

describe('monitors from processes', () => {
  it('a DOWN message with the monitor\'s ref and the reason; at once with noproc for a process that is not there', async () => {
    const parent = await startParent();
    const watched = await startGenServer<typeof Counter>(COUNTER, undefined);
    const ref = (await parent.call({ type: 'monitor', pid: watched.pid.pid })) as number;
    const missingRef = (await parent.call({ type: 'monitor', pid: 999_998 })) as number;
    await watched.stop('shutdown');
    let infos: ParentInfo[] = [];
    while (infos.length < 2) infos = (await parent.call({ type: 'infos' })) as ParentInfo[];
    expect(infos).toEqual(
      expect.arrayContaining([
        { type: 'DOWN', ref, pid: { pid: watched.pid.pid }, reason: { type: 'shutdown' } },
        { type: 'DOWN', ref: missingRef, pid: { pid: 999_998 }, reason: { type: 'noproc' } },
      ]),
    );
  });
});

describe('a supervision tree started from a process', () => {
  it('restarts a crashed child as in the main thread, and stops when its owner exits', async () => {
    const parent = await startParent();
    const { pid: treePid, children } = (await parent.call({
      type: 'tree',
      children: [{ kind: 'worker', id: 'worker', module: COUNTER, initArg: undefined, options: { name: 'tree_worker_in_process' } }],
    })) as { pid: number; children: Array<{ id: string; pid: { pid: number } }> };
    expect(children).toEqual([{ id: 'worker', pid: { pid: expect.any(Number) }, type: 'worker', restarts: 0 }]);
    const first = whereis('tree_worker_in_process')!;
    expect(first.pid).toBe(children[0]!.pid.pid);
    const pids = [parent.pid.pid, treePid, first.pid];
    expect(new Set(pids).size).toBe(3);
    await expect(call('tree_worker_in_process', { type: 'crash', message: 'restart me' })).rejects.toBeDefined();
    let restarted = whereis('tree_worker_in_process');
    while (restarted === undefined || restarted.pid === first.pid) {
      await new Promise((resolve) => setImmediate(resolve));
      restarted = whereis('tree_worker_in_process');
    }
    await expect(call('tree_worker_in_process', { type: 'echo', value: 'back' })).resolves.toBe('back');
    const workerGone = new Promise((resolve) => monitor(restarted!, resolve));
    await parent.stop('normal');
    await expect(workerGone).resolves.toEqual({ type: 'shutdown' });
  });
});

it('a dynamic supervisor from a process takes children at run time, up to maxChildren, and terminates them by pid', async () => {
  const parent = await startParent();
  await expect(parent.call({ type: 'dynamic', module: COUNTER })).resolves.toEqual({ refused: 'ERR_MAX_CHILDREN', active: 1 });
});

describe('tasks from a process', () => {
  it.each(['async', 'stream', 'map'] as const)('fans out with %s to a named pool, in one trace from the main thread\'s caller down to each task', async (how) => {
    const receiver = await OtlpReceiver.start();
    const telemetry = startTelemetry({ serviceName: 'otp-in-processes', endpoint: receiver.url, env: {} });
    const pool = TaskSupervisor.start({ name: 'process_pool', maxThreads: 2 });
    try {
      const parent = await startParent();
      const results = await trace.getTracer('test').startActiveSpan('main.request', async (span) => {
        try {
          return await parent.call({ type: 'fan_out', pool: 'process_pool', items: [1, 2, 3, 4], how });
        } finally {
          span.end();
        }
      });
      expect(results).toEqual([1, 4, 9, 16]);
      await parent.stop();
      await pool.shutdown();
      await telemetry.shutdown();
      const root = receiver.only('main.request');
      const fanOut = receiver.only('parent.fan_out');
      expect(fanOut.traceId).toBe(root.traceId);
      const runs = receiver.named(how === 'map' ? 'square.map_chunk' : 'square.run');
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) expect(run.traceId).toBe(root.traceId);
      expect(receiver.named('tasks.square_work')).toHaveLength(4);
    } finally {
      await pool.shutdown(0);
      await telemetry.shutdown();
      await receiver.close();
    }
  });

  it('a pool nobody started under that name gives NoProcessError', async () => {
    const parent = await startParent();
    await expect(parent.call({ type: 'fan_out', pool: 'no_such_pool', items: [1], how: 'async' })).rejects.toMatchObject({ code: 'ERR_PROCESS_EXIT', cause: { code: 'ERR_NO_PROCESS' } });
  });
});

describe('process groups', () => {
  it('members join from inside, the main thread and processes cast to all, and an exit removes the member', async () => {
    const members = await Promise.all([startParent(), startParent()]);
    for (const member of members) await member.call({ type: 'join', group: 'listeners' });
    expect(groups.members('listeners').map((pid) => pid.pid)).toEqual(members.map((member) => member.pid.pid));
    expect(groups.cast('listeners', { type: 'note', value: 'from main' })).toHaveLength(2);
    await expect(members[0]!.call({ type: 'group_cast', group: 'listeners', message: { type: 'note', value: 'from a member' } })).resolves.toBe(2);
    for (const member of members) {
      let infos: ParentInfo[] = [];
      while (infos.length < 2) infos = (await member.call({ type: 'infos' })) as ParentInfo[];
      expect(infos).toEqual([
        { type: 'note', value: 'from main' },
        { type: 'note', value: 'from a member' },
      ]);
    }
    await members[1]!.kill();
    expect(groups.members('listeners').map((pid) => pid.pid)).toEqual([members[0]!.pid.pid]);
    await expect(members[0]!.call({ type: 'members', group: 'listeners' })).resolves.toEqual([members[0]!.pid.pid]);
  });
});
