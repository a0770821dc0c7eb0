/**
 * Supervision decisions with real crashing worker threads, one test per decision.
 * Children register their id as their name; start and terminate order are read from a
 * shared board the children write to (see tests/fixtures/supervised-worker.ts).
 */
import {
  RestartIntensityError,
  Supervisor,
  SupervisorError,
  call,
  monitor,
  supervisorChild,
  whereis,
  workerChild,
  type ChildSpec,
  type ExitReason,
  type Pid,
  type SupervisorOptions,
} from '../../dist';
import type Supervised from '../../dist/tests/fixtures/supervised-worker';
import { Board } from '../../dist/tests/support/board';
import { fixturePath } from '../../dist/tests/support/fixtures';

const WORKER = fixturePath('supervised-worker');
let board: Board;
const supervisors: Supervisor[] = [];

beforeEach(() => {
  board = new Board();
});

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.kill()));
});

function child(id: string, slot: number, options: Parameters<typeof workerChild>[3] = {}, extra: { hangInTerminate?: boolean } = {}): ChildSpec {
  return workerChild<typeof Supervised>(id, WORKER, board.init(id, slot, extra), { name: id, ...options });
}

async function supervise(children: ChildSpec[], options: SupervisorOptions = {}): Promise<Supervisor> {
  const supervisor = await Supervisor.start(children, options);
  supervisors.push(supervisor);
  return supervisor;
}

function pids(supervisor: Supervisor): Record<string, Pid | 'restarting' | undefined> {
  return Object.fromEntries(supervisor.whichChildren().map((info) => [info.id, info.pid]));
}

/** Crashes the child registered as `id` and waits until `restarts` more starts happened. */
async function crash(id: string, restarts: number): Promise<void> {
  const before = board.starts;
  await expect(call(id, { type: 'crash' })).rejects.toMatchObject({ code: 'ERR_PROCESS_EXIT' });
  await board.waitForStarts(before + restarts);
}

/** A call to each running child: answered only once its restart has completed. */
async function whoami(...ids: string[]): Promise<Array<{ id: string; threadId: number }>> {
  return Promise.all(ids.map((id) => call<{ id: string; threadId: number }>(id, { type: 'whoami' })));
}

describe('strategies', () => {
  it('one_for_one restarts only the child that crashed', async () => {
    const supervisor = await supervise([child('a', 0), child('b', 1), child('c', 2)]);
    const before = pids(supervisor);
    const [, oldB] = await whoami('a', 'b');
    await crash('b', 1);
    const [, newB] = await whoami('a', 'b', 'c');
    const after = pids(supervisor);
    expect(after.a).toEqual(before.a);
    expect(after.c).toEqual(before.c);
    expect(after.b).not.toEqual(before.b);
    expect(newB!.threadId).not.toBe(oldB!.threadId);
    expect(board.startedAt(1)).toBeGreaterThan(board.startedAt(2));
    expect(board.stoppedAt(0) + board.stoppedAt(2)).toBe(0);
  });

  it('one_for_all stops the others in reverse start order, then starts all in order', async () => {
    const supervisor = await supervise([child('a', 0), child('b', 1), child('c', 2)], { strategy: 'one_for_all' });
    const before = pids(supervisor);
    await crash('b', 3);
    await whoami('a', 'b', 'c');
    const after = pids(supervisor);
    for (const id of ['a', 'b', 'c']) expect(after[id]).not.toEqual(before[id]);
    // b terminated first (its own crash), then c, then a: reverse start order.
    expect(board.stoppedAt(1)).toBeLessThan(board.stoppedAt(2));
    expect(board.stoppedAt(2)).toBeLessThan(board.stoppedAt(0));
    // Started again in start order, after every stop.
    expect(board.stoppedAt(0)).toBeLessThan(board.startedAt(0));
    expect(board.startedAt(0)).toBeLessThan(board.startedAt(1));
    expect(board.startedAt(1)).toBeLessThan(board.startedAt(2));
  });

  it('rest_for_one restarts the crashed child and those started after it', async () => {
    const supervisor = await supervise([child('a', 0), child('b', 1), child('c', 2)], { strategy: 'rest_for_one' });
    const before = pids(supervisor);
    await crash('b', 2);
    await whoami('a', 'b', 'c');
    const after = pids(supervisor);
    expect(after.a).toEqual(before.a);
    expect(after.b).not.toEqual(before.b);
    expect(after.c).not.toEqual(before.c);
    expect(board.stoppedAt(0)).toBe(0);
    expect(board.startedAt(1)).toBeLessThan(board.startedAt(2));
  });
});

describe('restart types', () => {
  it('transient: not restarted after a normal exit', async () => {
    const supervisor = await supervise([child('t', 0, { restart: 'transient' })]);
    const [{ pid }] = supervisor.whichChildren() as unknown as [{ pid: Pid }];
    const handled = exitHandled(pid);
    await expect(call('t', { type: 'exit_normally' })).resolves.toBe('bye');
    await handled;
    expect(supervisor.whichChildren()).toEqual([{ id: 't', pid: undefined, type: 'worker', restarts: 0 }]);
    expect(board.starts).toBe(1);
  });

  it('transient: restarted after an abnormal exit', async () => {
    const supervisor = await supervise([child('t', 0, { restart: 'transient' })]);
    await crash('t', 1);
    await whoami('t');
    expect(supervisor.countChildren()).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
  });

  it('temporary: never restarted, and its spec is removed', async () => {
    const supervisor = await supervise([child('keep', 0), child('temp', 1, { restart: 'temporary' })]);
    const [, { pid }] = supervisor.whichChildren() as unknown as [unknown, { pid: Pid }];
    const handled = exitHandled(pid);
    await expect(call('temp', { type: 'crash' })).rejects.toMatchObject({ code: 'ERR_PROCESS_EXIT' });
    await handled;
    expect(supervisor.whichChildren().map((info) => info.id)).toEqual(['keep']);
    expect(board.starts).toBe(2);
  });
});

/**
 * Resolves once `pid` has exited and the supervisor has handled it: its handling runs in
 * microtasks after the exit, all done before the next turn of the event loop.
 */
function exitHandled(pid: Pid): Promise<void> {
  return new Promise<void>((resolve) => monitor(pid, () => setImmediate(resolve)));
}

describe('restart intensity', () => {
  it('gives up past maxRestarts within maxSeconds: stops all children, exits with the reason', async () => {
    const supervisor = await supervise([child('steady', 0), child('flaky', 1)], { maxRestarts: 2, maxSeconds: 30, name: 'fragile' });
    await crash('flaky', 1);
    await crash('flaky', 1);
    await whoami('flaky');
    await expect(call('flaky', { type: 'crash' })).rejects.toMatchObject({ code: 'ERR_PROCESS_EXIT' });
    const reason = await supervisor.exited();
    expect(reason.type).toBe('error');
    const error = (reason as Extract<ExitReason, { type: 'error' }>).error;
    expect(error).toBeInstanceOf(RestartIntensityError);
    expect(error.message).toMatch(/fragile: more than 2 restarts within 30 s \(last: flaky: error: Error: poison in flaky\)/);
    expect(board.stoppedAt(0)).toBeGreaterThan(0);
    expect(whereis('steady')).toBeUndefined();
    await expect(supervisor.startChild(child('late', 2))).rejects.toMatchObject({ code: 'ERR_SUPERVISOR_EXITED' });
  });

  it('escalates: a nested supervisor that gives up is restarted by its parent', async () => {
    const root = await supervise(
      [child('sibling', 0), supervisorChild('inner', [child('leaf', 1)], { maxRestarts: 0 })],
      { name: 'root', maxRestarts: 3 },
    );
    const innerBefore = pids(root).inner;
    const [leafBefore] = await whoami('leaf');
    // The leaf crashes; inner (maxRestarts 0) gives up; root restarts inner, which starts a new leaf.
    await crash('leaf', 1);
    const [leafAfter] = await whoami('leaf');
    expect(leafAfter!.threadId).not.toBe(leafBefore!.threadId);
    expect(pids(root).inner).not.toEqual(innerBefore);
    expect(pids(root).sibling).toBeDefined();
    expect(board.stoppedAt(0)).toBe(0);
    expect(root.alive).toBe(true);
  });
});

describe('shutdown', () => {
  it('stops children in reverse start order and exits with the reason', async () => {
    const supervisor = await supervise([child('a', 0), child('b', 1), child('c', 2)]);
    await supervisor.stop();
    expect(board.stoppedAt(2)).toBeLessThan(board.stoppedAt(1));
    expect(board.stoppedAt(1)).toBeLessThan(board.stoppedAt(0));
    await expect(supervisor.exited()).resolves.toEqual({ type: 'normal' });
    expect(['a', 'b', 'c'].map((id) => whereis(id))).toEqual([undefined, undefined, undefined]);
  });

  it('kills a child whose terminate outlives its shutdown time', async () => {
    const supervisor = await supervise([child('stuck', 0, { shutdown: 100 }, { hangInTerminate: true })]);
    const started = Date.now();
    await supervisor.stop();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(board.stoppedAt(0)).toBeGreaterThan(0);
    expect(whereis('stuck')).toBeUndefined();
  });

  it('fails to start when a child fails, after stopping the children started before it', async () => {
    const failing: ChildSpec = workerChild('broken', fixturePath('counter-server'), { failInit: 'throw' });
    const start = Supervisor.start([child('first', 0), failing, child('never', 1)], { name: 'doomed' });
    await expect(start).rejects.toBeInstanceOf(SupervisorError);
    await expect(start).rejects.toMatchObject({ code: 'ERR_CHILD_START', childId: 'broken', message: expect.stringContaining('init refused') });
    expect(board.stoppedAt(0)).toBeGreaterThan(0);
    expect(board.startedAt(1)).toBe(0);
    expect(whereis('first')).toBeUndefined();
  });
});

const noStart = (): undefined => undefined;

describe('names and control', () => {
  it("starts a crashed child's replacement while its thread ends, and runs its init only once it is gone", async () => {
    await supervise([child('slow_exit', 0)]);
    const before = board.starts;
    const crashed = whereis('slow_exit')!;
    const gone = new Promise<void>((resolve) => monitor(crashed, () => resolve()));
    await expect(call('slow_exit', { type: 'crash_with_slow_exit', ms: 300 })).rejects.toMatchObject({ code: 'ERR_PROCESS_EXIT' });
    // The name is free (and a replacement starting) while the crashed thread still ends.
    expect(whereis('slow_exit')).not.toEqual(crashed);
    await Promise.all([board.waitForStarts(before + 1), gone]);
    expect(board.startedAt(0)).toBeGreaterThan(board.stoppedAt(0));
    await expect(whoami('slow_exit')).resolves.toEqual([{ id: 'slow_exit', threadId: expect.any(Number) }]);
  });

  it('rebinds a registered name to the restarted process', async () => {
    await supervise([child('stable', 0)]);
    const oldPid = whereis('stable');
    await crash('stable', 1);
    const [after] = await whoami('stable');
    expect(after!.id).toBe('stable');
    expect(whereis('stable')).not.toEqual(oldPid);
  });

  it('terminates, restarts, deletes and starts children on request', async () => {
    const supervisor = await supervise([child('a', 0), child('b', 1)]);
    await supervisor.terminateChild('b');
    expect(pids(supervisor).b).toBeUndefined();
    expect(board.stoppedAt(1)).toBeGreaterThan(0);
    await expect(supervisor.deleteChild('a')).rejects.toMatchObject({ code: 'ERR_CHILD_RUNNING' });
    const restarted = await supervisor.restartChild('b');
    expect(pids(supervisor).b).toEqual(restarted);
    await expect(supervisor.restartChild('b')).rejects.toMatchObject({ code: 'ERR_CHILD_RUNNING' });
    await supervisor.terminateChild('b');
    await supervisor.deleteChild('b');
    expect(supervisor.whichChildren().map((info) => info.id)).toEqual(['a']);
    await supervisor.startChild(child('c', 2));
    await expect(supervisor.startChild(child('c', 3))).rejects.toMatchObject({ code: 'ERR_DUPLICATE_CHILD_ID' });
    await expect(supervisor.terminateChild('zzz')).rejects.toMatchObject({ code: 'ERR_CHILD_NOT_FOUND' });
    expect(supervisor.countChildren()).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
  });

  it.each([
    [[{ id: '', start: noStart }], /children\[0\]\.id must be a non-empty string/],
    [[{ id: 'x' }], /children\[0\]\.start must be a function/],
    [[{ id: 'x', start: noStart, restart: 'sometimes' }], /children\[0\]\.restart must be one of permanent, transient, temporary/],
    [[{ id: 'x', start: noStart, shutdown: -5 }], /children\[0\]\.shutdown must be ms/],
    [[{ id: 'x', start: noStart, type: 'daemon' }], /children\[0\]\.type must be worker or supervisor/],
  ])('rejects an invalid child spec, naming the field (%#)', async (children, message) => {
    await expect(Supervisor.start(children as never)).rejects.toThrow(message);
  });

  it.each([
    [{ strategy: 'one_for_some' }, /options\.strategy must be one of one_for_one/],
    [{ maxRestarts: -1 }, /options\.maxRestarts must be an integer >= 0/],
    [{ maxSeconds: 0 }, /options\.maxSeconds must be a number > 0/],
  ])('rejects invalid options, naming the field (%#)', async (options, message) => {
    await expect(Supervisor.start([], options as never)).rejects.toThrow(message);
  });
});
