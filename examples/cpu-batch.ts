/**
 * A CPU-bound batch run twice: on the main thread alone, then across every core with
 * TaskSupervisor.map (chunks of items per message). Reports the speed-up; a progress bar
 * shows on a terminal while a run takes more than a second. Run after `npm run build`:
 *
 *   node dist/examples/cpu-batch.js
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { TaskSupervisor, taskRef } from '../index';
import * as CpuTasks from './cpu-tasks';
import { runAlone } from './support/example-main';
import { ProgressBar } from './support/progress-bar';
import { check, type Scenario } from './support/scenario';

const ITEMS = 1200;
const crunch = taskRef<typeof CpuTasks, 'crunch'>(join(__dirname, 'cpu-tasks.js'), 'crunch');
const tracer = trace.getTracer('cpu-batch');

export const scenario: Scenario = {
  name: 'cpu-batch',
  summary: `a CPU-bound batch of ${ITEMS} items on one thread, then on all ${availableParallelism()} cores, with its speed-up`,
  async run({ log, interactive }) {
    const seeds = Array.from({ length: ITEMS }, (_, index) => index + 1);
    const tasks = TaskSupervisor.start({ name: 'cpu_batch', minThreads: availableParallelism(), maxThreads: availableParallelism() });
    try {
      await tasks.warmUp();
      const sequential = await tracer.startActiveSpan('cpu_batch.sequential', async (span) => {
        const bar = new ProgressBar('one thread ', process.stdout);
        const started = performance.now();
        const results = seeds.map((seed, index) => {
          if (interactive && index % 50 === 0) bar.update(index, ITEMS);
          return CpuTasks.crunch(seed);
        });
        bar.finish();
        span.end();
        return { results, ms: performance.now() - started };
      });
      const parallel = await tracer.startActiveSpan('cpu_batch.parallel', async (span) => {
        const bar = new ProgressBar('all cores  ', process.stdout);
        const started = performance.now();
        const results = await tasks.map(seeds, crunch, { onProgress: (done, total) => interactive && bar.update(done, total) });
        bar.finish();
        span.setAttribute('items', ITEMS);
        span.end();
        return { results, ms: performance.now() - started };
      });
      const mismatches = parallel.results.filter((result, index) => result.value !== sequential.results[index]!.value).length;
      check(mismatches === 0, `${mismatches} items differ between the two runs`);
      const threads = new Set(parallel.results.map((result) => result.thread)).size;
      check(threads >= Math.min(2, availableParallelism()), `the batch ran on ${threads} thread(s) only`);
      log(
        `${ITEMS} items: ${sequential.ms.toFixed(0)} ms on one thread, ${parallel.ms.toFixed(0)} ms on ${threads} threads ` +
          `(speed-up ${(sequential.ms / parallel.ms).toFixed(2)}x)`,
      );
    } finally {
      await tasks.shutdown();
    }
  },
};

if (require.main === module) void runAlone(scenario);
