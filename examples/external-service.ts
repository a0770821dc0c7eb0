/**
 * The reference's ExternalService: three API calls run as tasks. One succeeds (status
 * OK), one gets HTTP 404 (error status), one raises (error status and the exception with
 * its stack). Run after `npm run build`:
 *
 *   node dist/examples/external-service.js
 */
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { TaskSupervisor, taskRef } from '../index';
import type * as ServiceTasks from './external-service-tasks';
import { exampleMain } from './support/example-main';

const callApi = taskRef<typeof ServiceTasks, 'callApi'>(join(__dirname, 'external-service-tasks.js'), 'callApi');

exampleMain('external-service-example', async () => {
  const tasks = TaskSupervisor.start({ name: 'api_tasks', maxThreads: 3 });
  try {
    const endpoints = ['https://api.example.test/orders', 'https://api.example.test/missing', 'https://api.example.test/unreachable'];
    const outcomes = await trace.getTracer('external-service').startActiveSpan('external_service.sync_all', async (span) => {
      const settled = await Promise.all(endpoints.map((endpoint) => tasks.asyncNolink(callApi, endpoint, { page: 1 }).outcome(10_000)));
      span.end();
      return settled;
    });
    outcomes.forEach((outcome, index) => {
      const endpoint = endpoints[index]!;
      console.log(outcome.status === 'ok' ? `${endpoint}: HTTP ${outcome.value.status}` : `${endpoint}: raised ${outcome.reason.message}`);
    });
  } finally {
    await tasks.shutdown();
  }
});
