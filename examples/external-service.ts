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
import { runAlone } from './support/example-main';
import { check, type Scenario } from './support/scenario';

const callApi = taskRef<typeof ServiceTasks, 'callApi'>(join(__dirname, 'external-service-tasks.js'), 'callApi');

export const scenario: Scenario = {
  name: 'external-service',
  summary: 'the reference ExternalService: an OK call, an HTTP 404 and a raised error, each on its span',
  async run({ log }) {
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
        log(outcome.status === 'ok' ? `${endpoint}: HTTP ${outcome.value.status}` : `${endpoint}: raised ${outcome.reason.message}`);
      });
      const shape = outcomes.map((outcome) => (outcome.status === 'ok' ? String(outcome.value.status) : 'raised'));
      check(shape.join(',') === '200,404,raised', `expected 200, 404 and a raised error; got ${shape.join(', ')}`);
    } finally {
      await tasks.shutdown();
    }
  },
};

if (require.main === module) void runAlone(scenario);
