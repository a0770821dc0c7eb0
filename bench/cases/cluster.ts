/**
 * Clusters on NATS (a real nats-server on loopback, node programs in processes of their
 * own): a call to a process on another node against a bare NATS request/reply to that
 * node's main thread, and the throughput of 1 ms tasks on a pool of two one-thread nodes
 * against one. The tasks block their thread without using the CPU (`Atomics.wait`): two
 * CPU-bound nodes plus the server and the submitter would need more than this machine's
 * two cores, and what is measured is how work is shared, not how fast the CPU is.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { call, taskRef } from '../../index';
import { startNode, type ClusterNode, type ClusterTaskPool } from '../../cluster';
import { LocalNatsServer } from '../../examples/support/local-nats-server';
import type { BenchConfig } from '../config';
import type { Report } from '../report';
import type * as BenchTasks from '../fixtures/bench-tasks';
import { fixture } from '../subjects';
import { latencyCase, rateCase } from './calls';

const START_DEADLINE_MS = 30_000;
const REQUEST_DEADLINE_MS = 60_000;

/** A bench node program, driven over IPC. */
class BenchNode {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, () => void>();
  #nextId = 1;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (message: { id?: number }) => message.id !== undefined && this.#waiting.get(message.id)?.());
  }

  static async start(name: string, natsUrl: string): Promise<BenchNode> {
    const child = fork(fixture('bench-node'), [], { env: { ...process.env, WOTP_NODE: name, NATS_URL: natsUrl }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench node ${name} did not start within ${START_DEADLINE_MS} ms`)), START_DEADLINE_MS);
      child.on('message', (message: { ready?: string }) => message.ready === name && (clearTimeout(timer), resolve()));
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`bench node ${name} exited (${code})`))));
    });
    return new BenchNode(child);
  }

  request(op: 'join' | 'leave' | 'stop'): Promise<void> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench node did not ${op} within ${REQUEST_DEADLINE_MS} ms`)), REQUEST_DEADLINE_MS);
      this.#waiting.set(id, () => (clearTimeout(timer), this.#waiting.delete(id), resolve()));
      this.#child.send({ id, op });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    await this.request('stop').catch(() => this.#child.kill('SIGKILL'));
    await exited;
  }
}

async function sequential(count: number, request: (index: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const start = process.hrtime.bigint();
    await request(index);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return samples;
}

async function tasksPerSecond(pool: ClusterTaskPool, count: number): Promise<number> {
  const block = taskRef<typeof BenchTasks, 'block'>(fixture('bench-tasks'), 'block');
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: count }, () => pool.async(block, 1).await(REQUEST_DEADLINE_MS)));
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

export async function clusterCases(report: Report, config: BenchConfig): Promise<void> {
  const server = await LocalNatsServer.start();
  const nodes: BenchNode[] = [];
  let node: ClusterNode | undefined;
  try {
    nodes.push(...(await Promise.all(['b', 'c'].map((name) => BenchNode.start(name, server.url)))));
    node = await startNode({ name: 'bench', servers: server.url, cluster: 'bench' });
    const connection = node.connection;
    const payload = new Uint8Array(8);
    const subjects = {
      bare: (count: number) => sequential(count, () => connection.request('bench.echo.b', payload, { timeout: REQUEST_DEADLINE_MS })),
      call: (count: number) => sequential(count, (index) => call({ name: 'echo', node: 'b' }, { type: 'echo', value: index })),
    };
    const samples: { bare: number[][]; call: number[][] } = { bare: [], call: [] };
    await subjects.bare(config.roundTrips);
    await subjects.call(config.roundTrips);
    for (let repetition = 0; repetition < config.repetitions; repetition++) {
      const order = repetition % 2 === 0 ? (['bare', 'call'] as const) : (['call', 'bare'] as const);
      for (const name of order) samples[name].push(await subjects[name](config.roundTrips));
    }
    const bare = report.add(latencyCase('nats.request (bare, to a node\'s main thread)', samples.bare));
    const remote = report.add(latencyCase('cluster.call (to a GenServer on another node)', samples.call));
    report.ratio('cluster.call p50 / nats.request', remote, bare, '<= 1.3');

    // Tasks: one node in the pool, then both, in turn.
    const [b, c] = nodes as [BenchNode, BenchNode];
    await b.request('join');
    const pool = await node.taskPool('bench');
    const rates: { one: number[]; two: number[] } = { one: [], two: [] };
    await tasksPerSecond(pool, config.tasks1ms);
    for (let repetition = 0; repetition < config.repetitions; repetition++) {
      for (const members of repetition % 2 === 0 ? (['one', 'two'] as const) : (['two', 'one'] as const)) {
        await c.request(members === 'two' ? 'join' : 'leave');
        rates[members].push(await tasksPerSecond(pool, config.tasks1ms));
      }
    }
    const one = report.add(rateCase('cluster.tasks1ms (1 node, 1 thread)', 'tasks/s', rates.one));
    const two = report.add(rateCase('cluster.tasks1ms (2 nodes, 1 thread each)', 'tasks/s', rates.two));
    report.ratio('cluster.tasks1ms 2 nodes / 1 node', two, one, '>= 1.8');
  } finally {
    await node?.stop();
    await Promise.all(nodes.map((program) => program.stop()));
    await server.dispose();
  }
}
