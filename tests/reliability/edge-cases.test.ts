/**
 * Reliability, second round: races, leaks and hangs found by probing from outside. Each
 * test failed before its fix (see the closing note of the session that added them).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamicSupervisor, ProcessExitError, Supervisor, TaskSupervisor, startGenServer, taskRef, workerChild, type GenServer, type SupervisorError } from '../../dist';
import type * as Tasks from '../../dist/tests/fixtures/tasks';
import type Edge from '../../dist/tests/fixtures/edge-server';
import type { EdgeInit } from '../../dist/tests/fixtures/edge-server';
import { fixturePath } from '../../dist/tests/support/fixtures';

type EdgeServer = GenServer<typeof Edge>;
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'worker-otp-edge-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function startEdge(init: EdgeInit = {}, options = {}): Promise<EdgeServer> {
  return startGenServer<typeof Edge>(fixturePath('edge-server'), init, options);
}

describe('any thrown value is an exit reason, and terminate runs with it', () => {
  it.each([
    ['throws undefined', { type: 'throw', value: undefined }, 'non-error value thrown: undefined'],
    ['throws null', { type: 'throw', value: null }, 'non-error value thrown: null'],
    ['rejects with undefined', { type: 'reject', value: undefined }, 'non-error value thrown: undefined'],
    ['throws a string', { type: 'throw', value: 'boom' }, 'non-error value thrown: "boom"'],
  ] as const)('a callback that %s', async (_label, request, description) => {
    const report = join(directory, `${_label.replace(/\W/g, '_')}.txt`);
    const server = await startEdge({ terminateReport: report });
    const call = server.call(request);
    await expect(call).rejects.toBeInstanceOf(ProcessExitError);
    await expect(call).rejects.toThrow(description);
    const reason = await server.exited();
    expect(reason.type).toBe('error');
    expect(readFileSync(report, 'utf8')).toBe(`error: Error: ${description}`);
  });
});

describe('DynamicSupervisor maxChildren under concurrency', () => {
  it('ten concurrent startChild calls against maxChildren 3: three start, seven are refused', async () => {
    const sessions = await DynamicSupervisor.start({ name: 'bounded_sessions', maxChildren: 3 });
    try {
      const { id: _id, ...spec } = workerChild<typeof Edge>('session', fixturePath('edge-server'), {});
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => sessions.startChild(spec)));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
      const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      expect(refused.map((outcome) => (outcome.reason as SupervisorError).code)).toEqual(Array(7).fill('ERR_MAX_CHILDREN'));
      expect(sessions.countChildren().active).toBe(3);
    } finally {
      await sessions.stop();
    }
  });
});

describe('durations past what a timer holds (2^31 - 1 ms) are clamped, never fired at once', () => {
  it('Supervisor.stop with 3e9 ms lets every child run terminate', async () => {
    const report = join(directory, 'long-stop.txt');
    const supervisor = await Supervisor.start([workerChild<typeof Edge>('slow', fixturePath('edge-server'), { terminateReport: report, terminateMs: 200 })]);
    await supervisor.stop('normal', 3e9);
    expect(readFileSync(report, 'utf8')).toBe('shutdown');
    expect(supervisor.exitReason).toEqual({ type: 'normal' });
  });

  it('a GenServer stop, a start, a call and a task await with 3e9 ms wait as long as they need', async () => {
    const report = join(directory, 'long-genserver.txt');
    const server = await startEdge({ terminateReport: report, terminateMs: 100 }, { startTimeoutMs: 3e9, callTimeoutMs: 3e9 });
    await expect(server.call({ type: 'sleep', ms: 50 }, { timeoutMs: 3e9 })).resolves.toBe(50);
    const tasks = TaskSupervisor.start({ name: 'long_tasks', maxThreads: 1 });
    try {
      await expect(tasks.async(taskRef<typeof Tasks, 'sleep'>(fixturePath('tasks'), 'sleep'), 50, 'slept').await(3e9)).resolves.toBe('slept');
    } finally {
      await tasks.shutdown();
    }
    await server.stop('normal', 3e9);
    expect(readFileSync(report, 'utf8')).toBe('normal');
  });

  it('a task pool whose idleTimeout is 3e9 ms (or Infinity) keeps its idle threads', async () => {
    for (const idleTimeout of [3e9, Infinity]) {
      const pool = TaskSupervisor.start({ name: 'patient_pool', minThreads: 0, maxThreads: 1, idleTimeout });
      try {
        const whichThread = taskRef<typeof Tasks, 'whichThread'>(fixturePath('tasks'), 'whichThread');
        const first = await pool.async(whichThread).await();
        // An overflowing timer ends an idle thread after 1 ms; this one must outlive a pause.
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(pool.threadCount).toBe(1);
        await expect(pool.async(whichThread).await()).resolves.toBe(first);
      } finally {
        await pool.shutdown();
      }
    }
  });
});

/** Runs a probe program (tests/fixtures/probes) in a process of its own; resolves with what it printed. */
function probe(name: string, env: NodeJS.ProcessEnv = {}, nodeArgs: readonly string[] = ['--expose-gc']): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, join(__dirname, '..', '..', 'dist', 'tests', 'fixtures', 'probes', `${name}.js`)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout) as Record<string, number>) : reject(new Error(`${name} exited ${code}: ${stderr}`))));
  });
}

const MiB = 2 ** 20;

describe('a start resolves with a live process or rejects, never both, never a dead one', () => {
  it('the main thread stalled past the start timeout while init completed: the start stands', async () => {
    const outcome = await probe('concurrent-starts', { SERVERS: '1', INIT_BUSY_MS: '150', STALL_AFTER_MS: '100', STALL_MS: '500', START_TIMEOUT_MS: '200' }, []);
    expect(outcome).toMatchObject({ started: 1, answered: 1, failed: 0 });
  }, 60_000);

  it('an init slower than the start timeout still fails the start', async () => {
    const outcome = await probe('concurrent-starts', { SERVERS: '2', INIT_BUSY_MS: '1000', START_TIMEOUT_MS: '200' }, []);
    expect(outcome).toMatchObject({ started: 0, failed: 2, codes: { ERR_START_TIMEOUT: 2 } });
  }, 60_000);

  it('300 concurrent starts of trivial GenServers all start, and each answers', async () => {
    const outcome = await probe('concurrent-starts', { SERVERS: '300' }, []);
    expect(outcome).toMatchObject({ started: 300, answered: 300, failed: 0 });
  }, 180_000);
});

describe('memory that must not grow', () => {
  it('20,000 forceFlush rounds over four processes keep nothing per round', async () => {
    const { early, late } = await probe('flush-rounds');
    expect((late! - early!) / MiB).toBeLessThan(2);
  }, 120_000);

  it.each([
    ['under the same timeout', '0'],
    ['under distinct timeouts', '1'],
  ])('one parked call keeps none of 300,000 later calls with 1 KB replies %s', async (_label, distinct) => {
    const { early, late, released } = await probe('parked-call', { DISTINCT: distinct });
    expect(released).toBe(1);
    expect((late! - early!) / MiB).toBeLessThan(8);
  }, 120_000);
});
