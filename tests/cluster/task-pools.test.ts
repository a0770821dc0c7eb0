/**
 * Task pools that span nodes, on a real nats-server with node programs in processes of
 * their own (one thread each): work goes to whichever node has a free thread, a slowed
 * node takes less, failures and timeouts hold, and a node killed mid-task fails its task
 * (durable pools run it again elsewhere; past the delivery limit the submitter is told).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskTimeoutError, taskRef } from '../../dist';
import { startNode, type ClusterNode, type ClusterTaskPool } from '../../dist/cluster';
import { NatsServer } from '../../dist/tests/support/nats-server';
import { NodeProgram, fileWritten } from '../../dist/tests/support/cluster-node';
import type * as Tasks from '../../dist/tests/fixtures/cluster/cluster-tasks';

const TASKS = join(__dirname, '..', '..', 'dist', 'tests', 'fixtures', 'cluster', 'cluster-tasks.js');
const work = taskRef<typeof Tasks, 'work'>(TASKS, 'work');
const markThenWork = taskRef<typeof Tasks, 'markThenWork'>(TASKS, 'markThenWork');
const TIMING = { heartbeatMs: 250, downAfterMs: 1000 };

let server: NatsServer;
let tester: ClusterNode;
let marks: string;
const programs: NodeProgram[] = [];

/** Node programs: `slow…` runs its tasks 5× slower, `submitter…` runs none. */
async function startPrograms(cluster: string, names: string[], env: NodeJS.ProcessEnv = {}): Promise<NodeProgram[]> {
  const roles = (name: string) => (name.startsWith('slow') ? { WOTP_SLOW_FACTOR: '5' } : name.startsWith('submitter') ? { WOTP_CONCURRENCY: '0' } : {});
  const started = await Promise.all(names.map((name) => NodeProgram.start(name, server.url, cluster, { ...env, ...roles(name) })));
  programs.push(...started);
  return started;
}

/** Counts results by the node that ran them. */
function byNode(results: ReadonlyArray<{ node: string }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { node } of results) counts[node] = (counts[node] ?? 0) + 1;
  return counts;
}

beforeAll(async () => {
  server = await NatsServer.start();
  marks = mkdtempSync(join(tmpdir(), 'worker-otp-marks-'));
}, 60_000);

afterAll(async () => {
  await tester?.stop();
  await Promise.all(programs.map((program) => program.stop()));
  await server?.dispose();
  rmSync(marks, { recursive: true, force: true });
}, 60_000);

describe('a pool without durable queueing', () => {
  let pool: ClusterTaskPool;

  beforeAll(async () => {
    await startPrograms('pools', ['a', 'b', 'slow']);
    tester = await startNode({ name: 'tester', servers: server.url, cluster: 'pools', ...TIMING });
    // This node only submits: no supervisor, so none of the tasks run here.
    pool = await tester.taskPool('work');
  }, 60_000);

  it('spreads tasks over every node with a free thread, and a slowed node takes fewer', async () => {
    const tasks = Array.from({ length: 60 }, (_, index) => pool.async(work, 30, index));
    const results = await Promise.all(tasks.map((task) => task.await(30_000)));
    expect(results.map((result) => result.value)).toEqual(Array.from({ length: 60 }, (_, index) => index));
    const counts = byNode(results);
    expect(Object.keys(counts).sort()).toEqual(['a', 'b', 'slow']);
    // Each node pulls a task only when its thread is free: one 5× slower gets far fewer.
    expect(counts.slow! * 2).toBeLessThan(Math.min(counts.a!, counts.b!));
  });

  it('brings a task\'s failure back with its class, code and message', async () => {
    const failing = pool.async(taskRef<typeof Tasks, 'fail'>(TASKS, 'fail'), 'bad input');
    await expect(failing.await()).rejects.toMatchObject({ name: 'RangeError', code: 'E_TASK_FAILED', message: 'bad input' });
    expect((await pool.asyncNolink(work, 1).outcome()).status).toBe('ok');
    // Arguments past what a NATS message carries are refused at once.
    expect(() => pool.async(work, 1, new Uint8Array(2 * 1024 * 1024))).toThrow(expect.objectContaining({ name: 'ClusterError', code: 'ERR_PAYLOAD_TOO_LARGE' }));
  });

  it('times a task out as locally, cancelling it where it runs', async () => {
    const mark = join(marks, 'timeout');
    const slow = pool.async(markThenWork, mark, 60_000);
    await fileWritten(mark);
    await expect(slow.await(200)).rejects.toThrow(TaskTimeoutError);
    // The cancelled task freed its thread: three more tasks on three one-thread nodes all finish.
    const after = await Promise.all([0, 1, 2].map((index) => pool.async(work, 10, index).await(30_000)));
    expect(after).toHaveLength(3);
  });

  it('fails a task whose node dies (kill -9) with TaskExitError naming the node, once nodedown comes', async () => {
    // A cluster of its own: a node that only submits, and the one that runs the task.
    const [submitter, doomed] = await startPrograms('doomed', ['submitter', 'doomed'], {});
    const mark = join(marks, 'doomed');
    const running = submitter!.request({ op: 'task', exportName: 'markThenWork', args: [mark, 60_000] }).catch((error: unknown) => error);
    expect(await fileWritten(mark)).toBe('doomed');
    await doomed!.kill();
    await expect(running).resolves.toMatchObject({ name: 'TaskExitError', code: 'ERR_TASK_EXIT', node: 'doomed', message: expect.stringContaining('node doomed, which ran it, went down') });
    await expect(submitter!.waitForEvent((event) => event.type === 'nodedown' && event.node === 'doomed')).resolves.toMatchObject({ reason: 'timeout' });
  });

  afterAll(async () => {
    await tester.stop();
  });
});

describe('a durable pool (JetStream work queue)', () => {
  it('runs the tasks of a node killed mid-task on another node: none lost, each reported once', async () => {
    const env = { WOTP_DURABLE: '1', WOTP_REDELIVER_MS: '1000' };
    const [first] = await startPrograms('durable', ['first', 'second'], env);
    tester = await startNode({ name: 'submitter', servers: server.url, cluster: 'durable', ...TIMING });
    const pool = await tester.taskPool('work', { durable: true, redeliverAfterMs: 1000 });
    const mark = (index: number) => join(marks, `durable-${index}`);
    const tasks = Array.from({ length: 8 }, (_, index) => pool.async(markThenWork, mark(index), 400, index));
    // One thread each: the first two tasks run one on each node. Kill `first` mid-task.
    expect((await Promise.all([fileWritten(mark(0)), fileWritten(mark(1))])).sort()).toEqual(['first', 'second']);
    await first!.kill();

    const results = await Promise.all(tasks.map((task) => task.await(60_000)));
    expect(results.map((result) => result.value)).toEqual(Array.from({ length: 8 }, (_, index) => index));
    // Whatever `first` had not finished ran again on `second`.
    expect(results.filter((result) => result.node === 'second').length).toBeGreaterThanOrEqual(1);
    await tester.stop();
  });

  it('drops a task that kills every node it reaches after deliveryLimit deliveries, telling its submitter', async () => {
    const env = { WOTP_DURABLE: '1', WOTP_REDELIVER_MS: '1000', WOTP_DELIVERY_LIMIT: '2' };
    const killed = await startPrograms('limit', ['k1', 'k2', 'k3'], env);
    tester = await startNode({ name: 'submitter', servers: server.url, cluster: 'limit', ...TIMING });
    const pool = await tester.taskPool('work', { durable: true, redeliverAfterMs: 1000, deliveryLimit: 2 });
    const task = pool.async(taskRef<typeof Tasks, 'killNode'>(TASKS, 'killNode'));
    await expect(task.await(60_000)).rejects.toMatchObject({ name: 'ClusterError', code: 'ERR_TASK_DELIVERY_LIMIT' });
    // Two nodes died running it; the third got the delivery past the limit and lives.
    const states = await Promise.all(killed.map((program) => Promise.race([program.exited.then(() => 'dead'), program.request({ op: 'nodes' }, 20_000).then(() => 'alive')])));
    expect(states.sort()).toEqual(['alive', 'dead', 'dead']);
    await tester.stop();
  });
});
