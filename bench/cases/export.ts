import { TaskSupervisor, taskRef, type Telemetry } from '../../index';
import type { Collector } from '../collector';
import type { BenchConfig } from '../config';
import type * as BenchTasks from '../fixtures/bench-tasks';
import type { Report } from '../report';
import { summarize } from '../stats';
import { fixture } from '../subjects';

const makeSpans = taskRef<typeof BenchTasks, 'makeSpans'>(fixture('bench-tasks'), 'makeSpans');
const TICK_MS = 10;

/**
 * Two worker threads end spans at a steady rate; the forwarding and the one exporter
 * deliver them to the receiver process, which counts what arrived. Loss is generated
 * minus received.
 */
export async function exportCases(report: Report, config: BenchConfig, telemetry: Telemetry, collector: Collector): Promise<void> {
  const supervisor = TaskSupervisor.start({ name: 'bench_spans', minThreads: 2, maxThreads: 2, autoSpans: false });
  try {
    await supervisor.warmUp();
    const perTickPerThread = Math.max(1, Math.round((config.exportSpansPerSecond * TICK_MS) / 1000 / 2));
    const rates: number[] = [];
    let lost = 0;
    let total = 0;
    for (let repetition = 0; repetition < Math.max(1, Math.min(config.repetitions, 3)); repetition++) {
      const before = await collector.count('bench.span');
      const start = process.hrtime.bigint();
      const ticks = Math.round((config.exportSeconds * 1000) / TICK_MS);
      const work: Array<Promise<number>> = [];
      for (let tick = 0; tick < ticks; tick++) {
        work.push(supervisor.async(makeSpans, perTickPerThread).await(Infinity), supervisor.async(makeSpans, perTickPerThread).await(Infinity));
        await new Promise((resolve) => setTimeout(resolve, TICK_MS));
      }
      const generated = (await Promise.all(work)).reduce((sum, count) => sum + count, 0);
      await telemetry.forceFlush();
      const received = (await collector.count('bench.span')) - before;
      rates.push(received / (Number(process.hrtime.bigint() - start) / 1e9));
      lost += generated - received;
      total += generated;
    }
    report.add({ id: 'export', unit: `spans/s delivered (target ${config.exportSpansPerSecond})`, ...summarize(rates) });
    const generatedCase = report.add({ id: 'export.generated', unit: 'spans ended in workers', median: total, min: total, max: total, samples: 1 });
    const lostCase = report.add({ id: 'export.lost', unit: 'spans lost', median: lost, min: lost, max: lost, samples: 1 });
    report.ratio('export lost / generated', lostCase, generatedCase, '<= 0');
  } finally {
    await supervisor.shutdown();
  }
}
