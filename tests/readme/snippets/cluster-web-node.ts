// web.ts: node "web" calls the cache wherever it runs, and submits work to the pool
import { call, startTelemetry, taskRef } from 'worker-otp';
import { startNode } from 'worker-otp/cluster';
import type * as ReportTasks from './report-tasks';

export async function main(): Promise<void> {
  startTelemetry({ resourceAttributes: { 'worker_otp.node.name': 'web' } });
  const node = await startNode({ name: 'web', servers: 'nats://127.0.0.1:4222' });
  node.monitorNodes((event) => console.log(event)); // { type: 'nodeup', node: 'worker' }, later nodedown with its reason
  const value = await call<string | undefined>({ global: 'cache' }, { type: 'get', key: 'a' }); // or { name: 'cache', node: 'worker' }
  const reports = await node.taskPool('reports'); // no supervisor: this node only submits
  const fetchUser = taskRef<typeof ReportTasks, 'fetchUser'>(require.resolve('./report-tasks'), 'fetchUser');
  const user = await reports.async(fetchUser, 42).await(); // ran on a node with a free thread
  console.log(value, user);
}
