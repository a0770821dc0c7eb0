/**
 * The cluster scenario's second node, `worker`, a program of its own (the demo forks it):
 * it joins the cluster on NATS_URL, runs the UserCache under the cluster-wide name
 * `user_cache`, and gives one thread to the task pool `reports`. Over IPC the demo asks it
 * for its finished spans (none when they went to a collector) and tells it to stop.
 */
import { join } from 'node:path';
import { TaskSupervisor, startGenServer, startTelemetry } from '../index';
import { startNode } from '../cluster';
import { localExporterUnlessConfigured } from './support/local-exporter';
import { toPlainSpan } from './support/span-transfer';

export const WORKER_NODE = 'worker';

async function main(): Promise<void> {
  // Its spans go to the collector when one is configured, else they stay here for the demo to show.
  const telemetry = startTelemetry({ serviceName: 'worker-otp-demo', ...localExporterUnlessConfigured(), resourceAttributes: { 'worker_otp.node.name': WORKER_NODE } });
  const node = await startNode({ name: WORKER_NODE, servers: process.env.NATS_URL!, cluster: process.env.WORKER_OTP_CLUSTER ?? 'demo' });
  const cache = await startGenServer(join(__dirname, 'user-cache-server.js'), { ttl: 600 }, { name: 'user_cache' });
  await node.registerGlobal('user_cache', 'user_cache');
  const reports = TaskSupervisor.start({ name: 'reports', minThreads: 1, maxThreads: 1 });
  await reports.warmUp();
  await node.taskPool('reports', { supervisor: reports });

  process.on('message', (message: { op: 'spans' | 'stop' }) => {
    void (async () => {
      if (message.op === 'spans') {
        await telemetry.forceFlush();
        process.send!({ spans: telemetry.options.exporter === 'memory' ? telemetry.finishedSpans().map(toPlainSpan) : [] });
        return;
      }
      await node.stop();
      await Promise.all([reports.shutdown(), cache.stop()]);
      await telemetry.shutdown();
      process.send!({ stopped: true });
      process.disconnect();
    })();
  });
  // The program that started this one is gone (or let go): so is this one.
  process.once('disconnect', () => process.exit(0));
  process.send!({ ready: WORKER_NODE });
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
