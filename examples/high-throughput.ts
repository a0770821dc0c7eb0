/**
 * The reference's high-throughput worker, sampled the way a busy service wants: by tail
 * sampling. Every span is recorded; once a request's trace has ended, it is exported if
 * anything in it failed (on any thread) and otherwise for 1 % of requests. The reference
 * sampled 10 % at the head, blind to which requests would fail; here every failed request
 * is kept, and the healthy ones cost 1 %. Run after `npm run build`:
 *
 *   node dist/examples/high-throughput.js
 */
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { startGenServer } from '../index';
import type HighThroughputWorker from './high-throughput-server';
import { runAlone } from './support/example-main';
import { check, type Scenario } from './support/scenario';

const REQUESTS = 1000;
/** Every 100th request sends input the worker rejects. */
const FAILING_EVERY = 100;
const KEEP_RATIO = 0.01;
const tracer = trace.getTracer('high-throughput-client');

export const scenario: Scenario = {
  name: 'high-throughput',
  summary: 'a busy worker under tail sampling: every failed request\'s trace kept, 1% of the healthy ones',
  telemetry: { tailSampling: { keepRatio: KEEP_RATIO } },
  async run({ telemetry, log }) {
    const worker = await startGenServer<typeof HighThroughputWorker>(join(__dirname, 'high-throughput-server.js'), undefined, { name: 'high_throughput_worker' });
    const failedTraces = new Set<string>();
    try {
      for (let index = 0; index < REQUESTS; index++) {
        const data = index % FAILING_EVERY === FAILING_EVERY - 1 ? -index : index;
        await tracer.startActiveSpan('high_throughput.request', async (span) => {
          const answer = await worker.call({ type: 'process', data });
          if (answer === 'rejected') failedTraces.add(span.spanContext().traceId);
          else check(answer === data * 2, `request ${data} was answered ${answer}`);
          span.end();
        });
      }
    } finally {
      await worker.stop();
    }
    await telemetry.forceFlush();
    const exported = new Set(telemetry.finishedSpans().filter((span) => span.name === 'high_throughput.request').map((span) => span.spanContext().traceId));
    const failedKept = [...failedTraces].filter((traceId) => exported.has(traceId)).length;
    const healthyKept = exported.size - failedKept;
    const healthy = REQUESTS - failedTraces.size;
    check(failedTraces.size === REQUESTS / FAILING_EVERY, `${failedTraces.size} requests failed, not ${REQUESTS / FAILING_EVERY}`);
    check(failedKept === failedTraces.size, `${failedKept} of ${failedTraces.size} failed requests were exported`);
    // 1% of 990 is about 10; far outside 0..40 would mean the share is not applied.
    check(healthyKept <= 40, `${healthyKept} of ${healthy} healthy requests were exported with keepRatio ${KEEP_RATIO}`);
    log(`${REQUESTS} requests: ${failedKept} of ${failedTraces.size} failed ones exported, ${healthyKept} of ${healthy} healthy ones (${((healthyKept / healthy) * 100).toFixed(1)}%)`);
  },
};

if (require.main === module) void runAlone(scenario);
