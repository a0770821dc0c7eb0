/**
 * stopAll and stopOnSignals: a busy application that receives SIGTERM stops its roots in
 * reverse start order, runs every terminate, exports every finished span to a real OTLP
 * receiver, and then exits as SIGTERM would have; a second signal exits at once; an
 * application's own handler keeps the last word.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor, TaskSupervisor, makePid, monitor, startGenServer, stopAll, stopOnSignals, taskRef, workerChild, type ExitReason, type GenServer } from '../../dist';
import type Parent from '../../dist/tests/fixtures/parent-server';
import type Edge from '../../dist/tests/fixtures/edge-server';
import type * as Tasks from '../../dist/tests/fixtures/tasks';
import { fixturePath } from '../../dist/tests/support/fixtures';
import { OtlpReceiver } from '../../dist/tests/support/otlp-receiver';
import { runSignalApp, type SignalAppRun } from '../../dist/tests/support/signal-app';

let directory: string;
let receiver: OtlpReceiver;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'worker-otp-signals-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));
beforeEach(async () => {
  receiver = await OtlpReceiver.start();
});
afterEach(() => receiver.close());

function runApp(name: string, env: NodeJS.ProcessEnv, signals: NodeJS.Signals[], gapMs = 0): Promise<SignalAppRun> {
  return runSignalApp({ report: join(directory, `${name}.txt`), endpoint: receiver.url, env, signals, gapMs });
}

describe('stopOnSignals', () => {
  it('on SIGTERM a busy app stops newest first, runs every terminate, exports every finished span, then dies of SIGTERM', async () => {
    const run = await runApp('sigterm', {}, ['SIGTERM']);
    expect(run.signal).toBe('SIGTERM');
    // Started: the tree, then the standalone GenServer, then the pool; stopped the other way round.
    expect(run.terminated).toEqual(['standalone shutdown', 'tree_worker shutdown']);
    const { calls, tasks } = run.counts!;
    expect(calls).toBeGreaterThan(0);
    expect(tasks).toBeGreaterThan(0);
    // Every call that completed was served, and its server span reached the collector.
    // (The supervised worker is registered as tree_worker: its spans carry that name.)
    expect(receiver.named('edge.handle_call').length + receiver.named('tree_worker.handle_call').length).toBeGreaterThanOrEqual(calls);
    expect(receiver.named('spin.run').length).toBeGreaterThanOrEqual(tasks);
    expect(receiver.named('edge.terminate')).toHaveLength(1);
    expect(receiver.named('tree_worker.terminate')).toHaveLength(1);
    expect(receiver.named('tree.stop')).toHaveLength(1);
  }, 60_000);

  it('in an app running the OpenTelemetry Node SDK, the spans reach its exporter before the process dies (its SDK is flushed, not shut down)', async () => {
    const run = await runApp('library', {
      LIBRARY: '1',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      OTEL_BSP_MAX_QUEUE_SIZE: '1000000',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    }, ['SIGTERM']);
    expect(run.signal).toBe('SIGTERM');
    expect(run.terminated).toEqual(['standalone shutdown', 'tree_worker shutdown']);
    expect(receiver.named('edge.handle_call').length + receiver.named('tree_worker.handle_call').length).toBeGreaterThanOrEqual(run.counts!.calls);
    expect(receiver.named('edge.terminate')).toHaveLength(1);
    expect(receiver.only('tree.stop').resource['service.name']).toMatch(/^unknown_service:/);
  }, 60_000);

  it('a second SIGTERM while stopping exits at once, with the conventional status', async () => {
    const run = await runApp('twice', { TERMINATE_MS: '20000' }, ['SIGTERM', 'SIGTERM'], 300);
    expect(run.code).toBe(143);
    expect(run.msAfterSignal).toBeLessThan(10_000);
    expect(run.terminated).toEqual([]);
  }, 60_000);

  it('an app that listens for SIGTERM itself keeps its handler, and the process is left to it', async () => {
    const run = await runApp('own-handler', { APP_HANDLER: '1' }, ['SIGTERM']);
    expect(run.counts?.appHandler).toBe(true);
    expect(run.terminated).toEqual(['standalone shutdown', 'tree_worker shutdown']);
    // Nothing runs any more, so the process ends by itself.
    expect(run.code).toBe(0);
    expect(run.signal).toBeNull();
  }, 60_000);

  it('rejects unknown signal names and bad timeouts, and its remover takes the handlers away', () => {
    expect(() => stopOnSignals({ signals: ['SIGNOPE' as NodeJS.Signals] })).toThrow("options.signals must be an array of signal names such as 'SIGTERM'");
    expect(() => stopOnSignals({ timeoutMs: -5 })).toThrow('options.timeoutMs must be a non-negative number');
    const before = process.listenerCount('SIGUSR2');
    const remove = stopOnSignals({ signals: ['SIGUSR2'] });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    expect(() => stopOnSignals({ signals: ['SIGUSR2'] })).toThrow('already listening');
    remove();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});

describe('stopAll', () => {
  const edge = fixturePath('edge-server');
  const hang = taskRef<typeof Tasks, 'hang'>(fixturePath('tasks'), 'hang');

  it('stops the roots newest first; a supervised child is stopped by its supervisor, not on its own', async () => {
    const report = join(directory, 'stop-all.txt');
    const tree = await Supervisor.start([workerChild<typeof Edge>('child', edge, { terminateReport: report, tag: 'child' })], { name: 'ordered_tree' });
    const first: GenServer<typeof Edge> = await startGenServer<typeof Edge>(edge, { terminateReport: report, tag: 'first' });
    const pool = TaskSupervisor.start({ name: 'stop_all_pool', maxThreads: 1 });
    const last: GenServer<typeof Edge> = await startGenServer<typeof Edge>(edge, { terminateReport: report, tag: 'last' });
    await stopAll();
    expect(readFileSync(report, 'utf8').trim().split('\n')).toEqual(['last shutdown', 'first shutdown', 'child shutdown']);
    expect([first.alive, last.alive, tree.alive]).toEqual([false, false, false]);
    expect(tree.exitReason).toEqual({ type: 'shutdown' });
    expect(() => pool.async(hang)).toThrow('it is shut down');
  });

  it('a process linked to its parent goes with the parent, as in OTP: stopped first, the parent takes it down', async () => {
    const report = join(directory, 'linked.txt');
    const parent: GenServer<typeof Parent> = await startGenServer<typeof Parent>(fixturePath('parent-server'), undefined);
    const child = (await parent.call({ type: 'spawn', module: edge, initArg: { terminateReport: report, tag: 'child' }, options: { link: true } })) as number;
    const childExit = new Promise<ExitReason>((resolve) => monitor(makePid(child), resolve));
    await stopAll();
    expect(parent.exitReason).toEqual({ type: 'shutdown' });
    // Not stopped on its own (its terminate would have written the report): the link ended it.
    await expect(childExit).resolves.toEqual({ type: 'shutdown' });
    expect(existsSync(report)).toBe(false);
  });

  it('a call while a stop runs joins it', async () => {
    const server: GenServer<typeof Edge> = await startGenServer<typeof Edge>(edge, { terminateMs: 100 });
    const first = stopAll();
    expect(stopAll({ timeoutMs: 1 })).toBe(first);
    await first;
    expect(server.exitReason).toEqual({ type: 'shutdown' });
  });

  it('past its deadline, kills what still runs (no terminate) and cancels running tasks', async () => {
    const pool = TaskSupervisor.start({ name: 'hung_pool', maxThreads: 1 });
    const hung = pool.async(hang);
    const slow: GenServer<typeof Edge> = await startGenServer<typeof Edge>(edge, { terminateMs: 60_000 });
    const began = performance.now();
    await stopAll({ timeoutMs: 500 });
    expect(performance.now() - began).toBeLessThan(5000);
    expect(slow.exitReason).toEqual({ type: 'killed' });
    await expect(hung.await()).rejects.toMatchObject({ code: 'ERR_TASK_CANCELLED', cancelledBy: 'supervisor_shutdown' });
  });
});
