import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { TaskSupervisor, taskRef } from '../../index';
import type { BenchConfig } from '../config';
import * as BenchTasks from '../fixtures/bench-tasks';
import type { Report } from '../report';
import { summarize } from '../stats';
import { fixture } from '../subjects';

const noop = taskRef<typeof BenchTasks, 'noop'>(fixture('bench-tasks'), 'noop');
const spin = taskRef<typeof BenchTasks, 'spin'>(fixture('bench-tasks'), 'spin');

interface Pools {
  piscina: Piscina;
  supervisor: TaskSupervisor;
}

async function startPools(): Promise<Pools> {
  const threads = availableParallelism();
  const piscina = new Piscina({ filename: fixture('piscina-noop'), minThreads: threads, maxThreads: threads });
  const supervisor = TaskSupervisor.start({ name: 'bench_tasks', minThreads: threads, maxThreads: threads });
  await supervisor.warmUp();
  await Promise.all(Array.from({ length: threads * 4 }, () => piscina.run({ micros: 0, value: 0 })));
  return { piscina, supervisor };
}

/** Tasks per second with all `count` submitted at once (every thread busy). */
async function rate(count: number, submit: (index: number) => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: count }, (_, index) => submit(index)));
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function compare(report: Report, config: BenchConfig, pools: Pools, count: number, micros: number, ids: [string, string]) {
  const piscinaRun = (index: number) => pools.piscina.run({ micros, value: index });
  const ourRun = (index: number) => (micros > 0 ? pools.supervisor.async(spin, micros).await(Infinity) : pools.supervisor.async(noop, index).await(Infinity));
  await rate(count, piscinaRun);
  await rate(count, ourRun);
  const piscinaRates: number[] = [];
  const ourRates: number[] = [];
  for (let repetition = 0; repetition < config.repetitions; repetition++) {
    if (repetition % 2 === 0) {
      piscinaRates.push(await rate(count, piscinaRun));
      ourRates.push(await rate(count, ourRun));
    } else {
      ourRates.push(await rate(count, ourRun));
      piscinaRates.push(await rate(count, piscinaRun));
    }
  }
  return [
    report.add({ id: ids[0], unit: 'tasks/s', ...summarize(piscinaRates) }),
    report.add({ id: ids[1], unit: 'tasks/s', ...summarize(ourRates) }),
  ] as const;
}

/** No-op and ~1 ms tasks through TaskSupervisor against plain Piscina, in one phase. */
export async function taskCases(report: Report, config: BenchConfig, label: 'untraced' | 'traced' | 'library'): Promise<void> {
  const pools = await startPools();
  try {
    const suffix = label === 'untraced' ? '' : ` (${label} run)`;
    const [piscina, ours] = await compare(report, config, pools, config.tasks, 0, [`task.piscina${suffix}`, `task.${label}`]);
    report.ratio(`task.${label} / piscina`, ours, piscina, label === 'untraced' ? '>= 2.5' : label === 'library' ? undefined : '>= 1.5');
    if (label === 'traced') {
      const [piscina1ms, ours1ms] = await compare(report, config, pools, config.tasks1ms, 1000, ['task1ms.piscina', 'task1ms.traced']);
      report.ratio('task1ms.traced / piscina', ours1ms, piscina1ms, '>= 0.97');
    }
  } finally {
    await Promise.all([pools.piscina.destroy(), pools.supervisor.shutdown()]);
  }
}

/** The same CPU-bound batch on the main thread and through `map` on all cores. */
export async function batchCases(report: Report, config: BenchConfig): Promise<void> {
  const supervisor = TaskSupervisor.start({ name: 'bench_batch', minThreads: availableParallelism(), maxThreads: availableParallelism() });
  try {
    await supervisor.warmUp();
    for (const [label, micros, count, goal] of [
      ['1ms', 1000, config.batchItems1ms, '>= 1.9'],
      ['10us', 10, config.batchItems10us, '>= 1.8'],
    ] as const) {
      const items = Array.from({ length: count }, () => micros);
      const sequential = () => {
        const start = process.hrtime.bigint();
        for (const item of items) BenchTasks.spin(item);
        return Number(process.hrtime.bigint() - start) / 1e6;
      };
      const parallel = async () => {
        const start = process.hrtime.bigint();
        await supervisor.map(items, spin);
        return Number(process.hrtime.bigint() - start) / 1e6;
      };
      sequential();
      await parallel();
      const sequentialMs: number[] = [];
      const parallelMs: number[] = [];
      for (let repetition = 0; repetition < config.repetitions; repetition++) {
        sequentialMs.push(sequential());
        parallelMs.push(await parallel());
      }
      const seq = report.add({ id: `batch${label}.sequential`, unit: `ms for ${count} items`, ...summarize(sequentialMs) });
      const par = report.add({ id: `batch${label}.parallel`, unit: `ms for ${count} items`, ...summarize(parallelMs) });
      report.ratio(`batch${label} speed-up`, seq, par, goal);
    }
  } finally {
    await supervisor.shutdown();
  }
}
