/**
 * The reference's high-throughput worker with sampling, done the OpenTelemetry way: a
 * parent-based 10% trace-id ratio sampler (the same as OTEL_TRACES_SAMPLER=
 * parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=0.1). The decision is made once per
 * request where its trace starts; the worker thread follows it. Run after `npm run build`:
 *
 *   node dist/examples/high-throughput.js
 */
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { startGenServer } from '../index';
import type HighThroughputWorker from './high-throughput-server';
import { runAlone } from './support/example-main';
import { check, type Scenario } from './support/scenario';

const REQUESTS = 500;
const RATIO = 0.1;
const tracer = trace.getTracer('high-throughput-client');

export const scenario: Scenario = {
  name: 'high-throughput',
  summary: 'a busy worker traced at 10% by the sampler configuration, the worker following each decision',
  telemetry: { sampler: { name: 'parentbased_traceidratio', ratio: RATIO } },
  async run({ log }) {
    const worker = await startGenServer<typeof HighThroughputWorker>(join(__dirname, 'high-throughput-server.js'), undefined, { name: 'high_throughput_worker' });
    let sampled = 0;
    try {
      for (let data = 0; data < REQUESTS; data++) {
        const answer = await tracer.startActiveSpan('high_throughput.request', async (span) => {
          if (span.isRecording()) sampled += 1;
          const doubled = await worker.call({ type: 'process', data });
          span.end();
          return doubled;
        });
        check(answer === data * 2, `request ${data} was answered ${answer}`);
      }
    } finally {
      await worker.stop();
    }
    // 10% of 500 is 50; far outside 10..125 would mean the sampler is not deciding.
    check(sampled >= 10 && sampled <= 125, `${sampled} of ${REQUESTS} requests were sampled with ratio ${RATIO}`);
    log(`${REQUESTS} requests, ${sampled} traced (${((sampled / REQUESTS) * 100).toFixed(1)}%): the sampler decided, the worker followed`);
  },
};

if (require.main === module) void runAlone(scenario);
