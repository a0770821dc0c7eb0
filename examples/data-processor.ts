/**
 * The reference's DataProcessor: a batch processed concurrently, one task per item, on a
 * TaskSupervisor. One item is invalid: its `data_processor.validate` span carries the
 * error status and the exception, and the rest of the batch completes. Run after
 * `npm run build`:
 *
 *   node dist/examples/data-processor.js
 */
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { TaskSupervisor, taskRef } from '../index';
import type * as DataTasks from './data-processor-tasks';
import { runAlone } from './support/example-main';
import { check, type Scenario } from './support/scenario';

const tracer = trace.getTracer('data-processor');
const processItem = taskRef<typeof DataTasks, 'processItem'>(join(__dirname, 'data-processor-tasks.js'), 'processItem');

async function processBatch(tasks: TaskSupervisor, items: DataTasks.Item[]) {
  return tracer.startActiveSpan('data_processor.process_batch', async (span) => {
    span.setAttribute('batch_size', items.length);
    // asyncNolink: one failing item is a value to report, not the end of the batch.
    const outcomes = await Promise.all(items.map((item) => tasks.asyncNolink(processItem, item).outcome(30_000)));
    span.end();
    return outcomes;
  });
}

export const scenario: Scenario = {
  name: 'data-processor',
  summary: 'the reference DataProcessor: a concurrent batch where one invalid item fails validation',
  async run({ log }) {
    const tasks = TaskSupervisor.start({ name: 'data_tasks' });
    try {
      await tasks.warmUp();
      const items = [
        { id: 1, type: 'order', value: 10 },
        { id: 2, type: 'order', value: 25 },
        { id: 3, type: 'refund', value: -5 },
        { id: 4, type: 'order', value: 7 },
      ];
      const outcomes = await processBatch(tasks, items);
      outcomes.forEach((outcome, index) => {
        const id = items[index]!.id;
        log(outcome.status === 'ok' ? `item ${id}: value ${outcome.value.value}` : `item ${id}: failed (${outcome.reason.message})`);
      });
      const failed = items.filter((_, index) => outcomes[index]!.status === 'exit').map((item) => item.id);
      check(failed.join(',') === '3', `expected only item 3 to fail validation; failed: ${failed.join(', ') || 'none'}`);
    } finally {
      await tasks.shutdown();
    }
  },
};

if (require.main === module) void runAlone(scenario);
