/**
 * The reference's ReportGenerator: three fetches run in parallel on a TaskSupervisor,
 * then the report is compiled. The fetch spans are children of
 * `report_generator.generate` although they run on other threads: the runtime carries
 * the context. Run after `npm run build`:
 *
 *   node dist/examples/report-generator.js
 */
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { TaskSupervisor, awaitMany, taskRef } from '../index';
import type * as ReportTasks from './report-tasks';
import { runAlone } from './support/example-main';
import { check, type Scenario } from './support/scenario';

const tracer = trace.getTracer('report-generator');
const tasksModule = join(__dirname, 'report-tasks.js');
const fetchUser = taskRef<typeof ReportTasks, 'fetchUser'>(tasksModule, 'fetchUser');
const fetchAnalytics = taskRef<typeof ReportTasks, 'fetchAnalytics'>(tasksModule, 'fetchAnalytics');
const fetchTransactions = taskRef<typeof ReportTasks, 'fetchTransactions'>(tasksModule, 'fetchTransactions');

async function generateReport(tasks: TaskSupervisor, userId: number, reportType: string) {
  return tracer.startActiveSpan('report_generator.generate', async (span) => {
    span.setAttributes({ user_id: userId, report_type: reportType });
    const [userData, analytics, transactions] = await awaitMany(
      [tasks.async(fetchUser, userId), tasks.async(fetchAnalytics, userId), tasks.async(fetchTransactions, userId)],
      10_000,
    );
    const report = tracer.startActiveSpan('report_generator.compile', (compile) => {
      compile.setAttributes({ transaction_count: transactions.length, total_page_views: analytics.page_views });
      compile.end();
      return { user: userData, analytics, transactions, generatedAt: new Date().toISOString() };
    });
    span.end();
    return report;
  });
}

export const scenario: Scenario = {
  name: 'report-generator',
  summary: 'the reference ReportGenerator: three fetches in parallel on a task pool, then compile, one trace',
  async run({ log }) {
    const tasks = TaskSupervisor.start({ name: 'report_tasks', minThreads: 3, maxThreads: 3 });
    try {
      // Three threads up before the report, so the three fetches really run side by side.
      await tasks.warmUp();
      const report = await generateReport(tasks, 42, 'monthly');
      check(report.user.name === 'User 42' && report.transactions.length === 2 && report.analytics.page_views === 1000, 'the report is incomplete');
      log(`report for ${report.user.name}: ${report.transactions.length} transactions, ${report.analytics.page_views} page views`);
    } finally {
      await tasks.shutdown();
    }
  },
};

if (require.main === module) void runAlone(scenario);
