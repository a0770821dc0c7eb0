/**
 * The benchmark suite: what tracing and the runtime cost, as ratios against a bare
 * worker_threads echo and plain Piscina, measured in the same run.
 *
 *   npm run bench                 full run (under ten minutes on 2 cores)
 *   npm run bench -- --quick      smoke run (under two minutes)
 *   npm run bench -- --json FILE  also write the results as JSON
 *
 * Goals are printed next to each ratio, never asserted: a shared machine is noisy.
 */
import { writeFileSync } from 'node:fs';
import { startTelemetry } from '../index';
import { callCases } from './cases/calls';
import { clusterCases } from './cases/cluster';
import { collectorFaultCases } from './cases/collector-faults';
import { comlinkCases } from './cases/comlink';
import { traceCostCases } from './cases/trace-costs';
import { exportCases } from './cases/export';
import { libraryCases } from './cases/library';
import { lifecycleCases } from './cases/lifecycle';
import { metricsCases } from './cases/metrics';
import { moveCases } from './cases/moves';
import { batchCases, taskCases } from './cases/tasks';
import { startCollector } from './collector';
import { CONFIGS, type BenchConfig } from './config';
import { TAIL_KEEP_RATIO } from './pinned-latency';
import { Report } from './report';

export interface BenchOptions {
  readonly config: BenchConfig;
  /** Progress lines (case names as they start); silent by default. */
  readonly log?: (line: string) => void;
}

/** Runs every case and returns the report. */
export async function runBenchmarks({ config, log = () => {} }: BenchOptions): Promise<Report> {
  const report = new Report();
  log(`untraced: calls, casts, tasks, batches, moves (${config.name})`);
  await callCases(report, config, 'untraced');
  await taskCases(report, config, 'untraced');
  await batchCases(report, config);
  await moveCases(report, config);
  log('metrics: a process started with a MeterProvider against one started before it');
  await metricsCases(report, config);
  log('clusters on NATS: a call to another node against a bare NATS request, tasks on two nodes against one');
  await clusterCases(report, config);

  const collector = await startCollector();
  try {
    log('traced: calls, casts, Comlink, what a traced call is made of, tasks, spawn, restart, memory, export');
    let telemetry = startTelemetry({ endpoint: collector.url, sampler: { name: 'always_on' }, env: {}, serviceName: 'worker-otp-bench' });
    try {
      await callCases(report, config, 'traced', collector.url);
      await comlinkCases(report, config, collector.url);
      await traceCostCases(report, config, collector.url);
      await taskCases(report, config, 'traced');
      await lifecycleCases(report, config);
      await exportCases(report, config, telemetry, collector);
    } finally {
      await telemetry.shutdown();
    }
    log('library mode: the application\'s SDK (batch processor, OTLP exporter); the zero-code preload');
    libraryCases(report, config, collector.url, {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url.replace(/\/v1\/traces$/, ''),
      OTEL_SERVICE_NAME: 'worker-otp-bench-preload',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    log('collector faults: traced calls with the collector healthy, down, slow');
    await collectorFaultCases(report, config);
    log('tail sampling: calls, casts (every span recorded, 1% of healthy traces kept)');
    telemetry = startTelemetry({ endpoint: collector.url, sampler: { name: 'always_on' }, tailSampling: { keepRatio: TAIL_KEEP_RATIO }, env: {}, serviceName: 'worker-otp-bench' });
    try {
      await callCases(report, config, 'tail', collector.url);
    } finally {
      await telemetry.shutdown();
    }
    tailAgainstHead(report);
    log('sampled 10%: calls');
    telemetry = startTelemetry({ endpoint: collector.url, sampler: { name: 'parentbased_traceidratio', ratio: 0.1 }, env: {} });
    try {
      await callCases(report, config, 'sampled10', collector.url);
    } finally {
      await telemetry.shutdown();
    }
  } finally {
    await collector.close();
  }
  return report;
}

/** Tail sampling's cost per message against head sampling's (everything recorded and exported), same run. */
function tailAgainstHead(report: Report): void {
  for (const [tail, head] of [
    ['call.tail (one core)', 'call.traced (one core)'],
    ['call.tail', 'call.traced'],
    ['call.tail.pipelined', 'call.traced.pipelined'],
    ['cast.tail', 'cast.traced'],
  ] as const) {
    report.compare(`${tail} / head sampling`, tail, head);
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const name = argv.includes('--tiny') ? 'tiny' : argv.includes('--quick') ? 'quick' : 'full';
  const jsonIndex = argv.indexOf('--json');
  const jsonFile = jsonIndex >= 0 ? argv[jsonIndex + 1] : undefined;
  if (jsonIndex >= 0 && !jsonFile) throw new TypeError('bench: --json needs a file name');
  const started = Date.now();
  const report = await runBenchmarks({ config: CONFIGS[name], log: (line) => console.error(`[bench] ${line}`) });
  console.log(report.toMarkdown());
  console.error(`[bench] ${name} run took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(report.toJSON(), null, 2)}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
