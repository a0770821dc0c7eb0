/**
 * Two nodes on NATS: this program (node `demo`) and a second program it starts (node
 * `worker`, examples/cluster-node.ts). The UserCache runs on `worker` under a cluster-wide
 * name and is called from here; the pages of a report render on whichever node has a free
 * thread; one trace covers both programs. Needs a NATS server: NATS_URL, else this
 * machine's `nats-server` (started on a free loopback port for the run); without either,
 * the scenario says how to get one and is skipped. Run after `npm run build`:
 *
 *   node dist/examples/cluster.js
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { TaskSupervisor, call, taskRef } from '../index';
import { startNode, type ClusterNode, type NodeEvent } from '../cluster';
import type * as ClusterTasks from './cluster-tasks';
import type { User, UserCacheCall } from './user-cache-server';
import { WORKER_NODE } from './cluster-node';
import { runAlone } from './support/example-main';
import { HOW_TO_GET_NATS, LocalNatsServer, findNatsServer } from './support/local-nats-server';
import { check, type Scenario } from './support/scenario';
import { fromPlainSpan, type PlainSpan } from './support/span-transfer';

const NODE = 'demo';
const PAGES = 6;
const START_DEADLINE_MS = 30_000;
const tracer = trace.getTracer('cluster-client');

/** The second node program, forked, and what it says over IPC. */
async function startWorkerNode(natsUrl: string) {
  const child = fork(join(__dirname, 'cluster-node.js'), [], { env: { ...process.env, NATS_URL: natsUrl }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`node ${WORKER_NODE} did not send ${key} within ${START_DEADLINE_MS} ms`)), START_DEADLINE_MS);
      const onMessage = (message: Record<string, unknown>) => {
        if (!(key in message)) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message[key] as T);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`node ${WORKER_NODE} exited (${code})`)));
    });
  await next('ready');
  return {
    pid: child.pid!,
    spans: async () => {
      child.send({ op: 'spans' });
      return (await next<PlainSpan[]>('spans')).map(fromPlainSpan);
    },
    stop: async () => {
      child.send({ op: 'stop' });
      await next('stopped');
    },
  };
}

/** The next node event that `matches`, within the start deadline. */
function nodeEvent(node: ClusterNode, matches: (event: NodeEvent) => boolean): Promise<NodeEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no such node event within ${START_DEADLINE_MS} ms`)), START_DEADLINE_MS);
    const unsubscribe = node.monitorNodes((event) => {
      if (!matches(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}

export const scenario: Scenario = {
  name: 'cluster',
  summary: 'two nodes on NATS: a cluster-wide GenServer called across nodes, report pages on whichever node is free, one trace',
  telemetry: { resourceAttributes: { 'worker_otp.node.name': NODE } },
  async run({ log, addSpans }) {
    const localServer = process.env.NATS_URL || findNatsServer() === undefined ? undefined : await LocalNatsServer.start();
    const natsUrl = process.env.NATS_URL || localServer?.url;
    if (natsUrl === undefined) {
      log(`skipped: this scenario needs a NATS server, and there is none here: ${HOW_TO_GET_NATS}`);
      return;
    }
    log(localServer ? `started nats-server on ${natsUrl} (JetStream on, for this run)` : `NATS at ${natsUrl}`);
    const node = await startNode({ name: NODE, servers: natsUrl, cluster: 'demo' });
    const reports = TaskSupervisor.start({ name: 'reports', minThreads: 1, maxThreads: 1 });
    let worker: Awaited<ReturnType<typeof startWorkerNode>> | undefined;
    try {
      const up = nodeEvent(node, (event) => event.type === 'nodeup' && event.node === WORKER_NODE);
      worker = await startWorkerNode(natsUrl);
      await up;
      log(`node ${WORKER_NODE} is up; nodes seen from ${NODE}: ${node.nodes().join(', ')}`);
      const pool = await node.taskPool('reports', { supervisor: reports });

      let requestTrace = '';
      await tracer.startActiveSpan('cluster.request', async (span) => {
        requestTrace = span.spanContext().traceId;
        try {
          const getUser: UserCacheCall = { type: 'get_user', userId: 42 };
          const first = await call<User>({ global: 'user_cache' }, getUser);
          const second = await call<User>({ global: 'user_cache' }, getUser);
          check(first.name === 'User 42' && second.name === 'User 42', `get_user(42) on ${WORKER_NODE} answered ${first.name}, then ${second.name}`);
          log(`call({ global: 'user_cache' }) -> ${first.name} (fetched on ${node.whereisGlobal('user_cache')?.node}), then from its cache`);
          const renderPage = taskRef<typeof ClusterTasks, 'renderPage'>(join(__dirname, 'cluster-tasks.js'), 'renderPage');
          const pages = await Promise.all(Array.from({ length: PAGES }, (_, page) => pool.async(renderPage, page).await(30_000)));
          const where = (pid: number) => (pid === worker!.pid ? WORKER_NODE : pid === process.pid ? NODE : `pid ${pid}`);
          const byNode = new Map<string, number>();
          for (const page of pages) byNode.set(where(page.pid), (byNode.get(where(page.pid)) ?? 0) + 1);
          check(pages.every((page, index) => page.page === index), 'the pages came back out of order');
          check(byNode.size === 2, `all ${PAGES} pages rendered on ${[...byNode.keys()].join(', ')}; both nodes have a free thread`);
          log(`${PAGES} report pages rendered: ${[...byNode].map(([name, count]) => `${count} on ${name}`).join(', ')}`);
        } finally {
          span.end();
        }
      });

      const workerSpans = await worker.spans();
      if (workerSpans.length > 0) {
        const inTrace = workerSpans.filter((span) => span.spanContext().traceId === requestTrace);
        check(inTrace.some((span) => span.name === 'user_cache.handle_call'), `node ${WORKER_NODE} recorded no user_cache.handle_call span in the request's trace`);
        log(`node ${WORKER_NODE} recorded ${inTrace.length} spans of the request's trace; they are shown with this node's below`);
        addSpans(workerSpans);
      } else {
        log(`node ${WORKER_NODE} sent its spans to the collector itself`);
      }
      const down = nodeEvent(node, (event) => event.type === 'nodedown' && event.node === WORKER_NODE);
      await worker.stop();
      worker = undefined;
      const left = await down;
      log(`node ${WORKER_NODE} stopped: nodedown (${left.type === 'nodedown' ? left.reason : ''})`);
    } finally {
      await worker?.stop().catch(() => undefined);
      await node.stop();
      await reports.shutdown();
      await localServer?.dispose();
    }
  },
};

if (require.main === module) void runAlone(scenario);
