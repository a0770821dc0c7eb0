/** DynamicSupervisor with real worker threads. */
import { DynamicSupervisor, SupervisorError, call, monitor, whereis, workerChild, type Pid } from '../../dist';
import type Supervised from '../../dist/tests/fixtures/supervised-worker';
import { Board } from '../../dist/tests/support/board';
import { fixturePath } from '../../dist/tests/support/fixtures';

const WORKER = fixturePath('supervised-worker');
let board: Board;
let supervisor: DynamicSupervisor;

beforeEach(async () => {
  board = new Board();
  supervisor = await DynamicSupervisor.start({ maxChildren: 2, name: 'pool' });
});

afterEach(() => supervisor.kill());

const spec = (name: string, slot: number, restart?: 'temporary') => {
  const { id: _unused, ...child } = workerChild<typeof Supervised>(name, WORKER, board.init(name, slot), { name, ...(restart ? { restart } : {}) });
  return child;
};

it('starts with no children and adds them at run time', async () => {
  expect(supervisor.countChildren()).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
  const pid = await supervisor.startChild(spec('d1', 0));
  expect(whereis('d1')).toEqual(pid);
  expect(supervisor.whichChildren()).toEqual([{ id: 'child-1', pid, type: 'worker', restarts: 0 }]);
});

it('refuses a child past maxChildren with a typed error', async () => {
  await supervisor.startChild(spec('d1', 0));
  await supervisor.startChild(spec('d2', 1));
  const refused = supervisor.startChild(spec('d3', 2));
  await expect(refused).rejects.toBeInstanceOf(SupervisorError);
  await expect(refused).rejects.toMatchObject({ code: 'ERR_MAX_CHILDREN', message: expect.stringContaining('maxChildren (2)') });
  expect(board.startedAt(2)).toBe(0);
});

it('terminates a child by pid and forgets it', async () => {
  const pid = await supervisor.startChild(spec('d1', 0));
  await supervisor.terminateChild(pid);
  expect(supervisor.whichChildren()).toEqual([]);
  expect(board.stoppedAt(0)).toBeGreaterThan(0);
  await expect(supervisor.terminateChild(pid)).rejects.toMatchObject({ code: 'ERR_CHILD_NOT_FOUND' });
});

it('restarts a crashed child one for one, leaving the others', async () => {
  const first = await supervisor.startChild(spec('d1', 0));
  const second = await supervisor.startChild(spec('d2', 1));
  await expect(call('d1', { type: 'crash' })).rejects.toMatchObject({ code: 'ERR_PROCESS_EXIT' });
  await board.waitForStarts(3);
  await call('d1', { type: 'whoami' });
  const pids = supervisor.whichChildren().map((info) => info.pid as Pid);
  expect(pids[0]).not.toEqual(first);
  expect(pids[1]).toEqual(second);
});

it('removes a child that exits without restart', async () => {
  const pid = await supervisor.startChild(spec('d1', 0, 'temporary'));
  const handled = new Promise<void>((resolve) => monitor(pid, () => setImmediate(resolve)));
  await expect(call('d1', { type: 'crash' })).rejects.toMatchObject({ code: 'ERR_PROCESS_EXIT' });
  await handled;
  expect(supervisor.countChildren().specs).toBe(0);
});

it('rejects an invalid maxChildren, naming the field', async () => {
  await expect(DynamicSupervisor.start({ maxChildren: -1 })).rejects.toThrow(/options\.maxChildren must be an integer >= 0/);
});
