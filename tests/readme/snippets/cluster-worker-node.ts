// worker.ts: node "worker" runs the cache under a cluster-wide name, and gives two threads to the pool "reports"
import { TaskSupervisor, startGenServer, startTelemetry, stopOnSignals } from 'worker-otp';
import { startNode } from 'worker-otp/cluster';

export async function main(): Promise<void> {
  startTelemetry({ resourceAttributes: { 'worker_otp.node.name': 'worker' } }); // each node exports its own spans
  const node = await startNode({ name: 'worker', servers: 'nats://127.0.0.1:4222' });
  await startGenServer(require.resolve('./cache-server'), undefined, { name: 'cache' });
  await node.registerGlobal('cache', 'cache');
  const reports = TaskSupervisor.start({ name: 'reports', maxThreads: 2 });
  await node.taskPool('reports', { supervisor: reports });
  stopOnSignals(); // leaves the cluster first: the other nodes see nodedown at once
}
