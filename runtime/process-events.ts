/**
 * What the process table's watchers report: process starts and exits, and main-thread
 * calls that timed out, as metrics (when the application has a MeterProvider) and as
 * `diagnostics_channel` messages (when something subscribes). Loaded with worker-otp.
 */
import { listening, publish } from './diagnostics';
import { ATTR_EXIT_REASON, ATTR_PROCESS_NAME } from '../telemetry/record/attributes';
import { drainProcessGauges, keepDraining, processMetrics } from './runtime-metrics';
import { processTable } from './process-table';

const { watchers } = processTable;

watchers.ready.add((record) => {
  // The instruments exist from the first process on, so a collection sees it alive.
  processMetrics();
  if (record.gauges) keepDraining();
  if (!listening('processStart')) return;
  publish('processStart', { pid: record.pid, name: record.name, label: record.label, module: record.modulePath, threadId: record.threadId });
});

watchers.gone.add((record, reason) => {
  const metrics = processMetrics();
  if (metrics) {
    drainProcessGauges(record);
    metrics.exits.add(1, { [ATTR_PROCESS_NAME]: record.label, [ATTR_EXIT_REASON]: reason.type });
  }
  if (listening('processExit')) {
    publish('processExit', { pid: record.pid, name: record.name, label: record.label, reason, traceId: record.lastSpan?.traceId });
  }
});

watchers.callTimedOut.add(() => processMetrics()?.timeouts.add(1, { [ATTR_PROCESS_NAME]: 'main' }));
