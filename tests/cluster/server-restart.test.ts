/**
 * The NATS server stopped and started again under running nodes: they reconnect by
 * themselves, calls resume, and no task of a durable pool is lost (its queue is on disk).
 */
import { join } from 'node:path';
import { call, taskRef } from '../../dist';
import { startNode, type ClusterNode } from '../../dist/cluster';
import { NatsServer } from '../../dist/tests/support/nats-server';
import { NodeProgram } from '../../dist/tests/support/cluster-node';
import type * as Tasks from '../../dist/tests/fixtures/cluster/cluster-tasks';

const TASKS = join(__dirname, '..', '..', 'dist', 'tests', 'fixtures', 'cluster', 'cluster-tasks.js');
const work = taskRef<typeof Tasks, 'work'>(TASKS, 'work');

let server: NatsServer;
let tester: ClusterNode;
const programs: NodeProgram[] = [];

beforeAll(async () => {
  server = await NatsServer.start();
  const env = { WOTP_DURABLE: '1', WOTP_REDELIVER_MS: '1000' };
  programs.push(...(await Promise.all(['r1', 'r2'].map((name) => NodeProgram.start(name, server.url, 'restart', env)))));
  tester = await startNode({ name: 'tester', servers: server.url, cluster: 'restart', heartbeatMs: 250, downAfterMs: 1000 });
}, 60_000);

afterAll(async () => {
  await tester?.stop();
  await Promise.all(programs.map((program) => program.stop()));
  await server?.dispose();
}, 60_000);

it('reconnects, resumes calls and loses no durable task across a server restart', async () => {
  const pool = await tester.taskPool('work', { durable: true, redeliverAfterMs: 1000 });
  await expect(call({ name: 'relay', node: 'r1' }, { type: 'whoami' })).resolves.toBe('r1');
  const tasks = Array.from({ length: 20 }, (_, index) => pool.async(work, 150, index));
  // Two nodes, one thread each: the queue holds most of them when the server goes.
  const firstDone = await tasks[0]!.await(30_000);
  expect(firstDone.value).toBe(0);
  await server.restart();

  const results = await Promise.all(tasks.map((task) => task.await(60_000)));
  expect(results.map((result) => result.value)).toEqual(Array.from({ length: 20 }, (_, index) => index));
  await expect(call({ name: 'relay', node: 'r2' }, { type: 'whoami' }, { timeoutMs: 20_000 })).resolves.toBe('r2');
  await expect(programs[0]!.request({ op: 'call', target: { name: 'relay', node: 'r2' }, request: { type: 'whoami' } })).resolves.toBe('r2');
  // Tasks submitted after the restart run too.
  await expect(pool.async(work, 1, 'after').await(30_000)).resolves.toMatchObject({ value: 'after' });
});
