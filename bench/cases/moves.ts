/**
 * A big payload's round trip, copied and moved (see `move`): through a bare worker's
 * `postMessage` (with and without a transfer list), a GenServer call and a task, in one
 * phase, A and B alternating. The payload is a `Float64Array` of `moveMiB` MiB.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { TaskSupervisor, move, startGenServer, taskRef, type GenServer } from '../../index';
import type { BenchConfig } from '../config';
import type * as BenchTasks from '../fixtures/bench-tasks';
import type EchoServer from '../fixtures/echo-server';
import type { Report } from '../report';
import { quantile, summarize } from '../stats';
import { fixture } from '../subjects';

/** One round trip of the payload: it comes back (moved or copied) and is the one used next. */
type RoundTrip = (data: Float64Array<ArrayBuffer>) => Promise<Float64Array<ArrayBuffer>>;

/**
 * The median milliseconds of a few round trips. The median: the first trips after a
 * copying case pay for collecting its copies (5–10 ms of GC), the rest take what a move
 * takes.
 */
async function timeRoundTrips(roundTrip: RoundTrip, data: Float64Array<ArrayBuffer>, trips: number): Promise<{ ms: number; data: Float64Array<ArrayBuffer> }> {
  const times: number[] = [];
  let current = data;
  for (let trip = 0; trip < trips; trip++) {
    const start = process.hrtime.bigint();
    current = await roundTrip(current);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { ms: quantile(times, 0.5), data: current };
}

export async function moveCases(report: Report, config: BenchConfig): Promise<void> {
  const echo = new Worker(fixture('move-echo-worker'));
  await once(echo, 'online');
  const server: GenServer<typeof EchoServer> = await startGenServer<typeof EchoServer>(fixture('echo-server'), undefined);
  const pool = TaskSupervisor.start({ name: 'bench_moves', minThreads: 1, maxThreads: 1 });
  const noop = taskRef<typeof BenchTasks, 'noop'>(fixture('bench-tasks'), 'noop');
  const bounce = taskRef<typeof BenchTasks, 'bounce'>(fixture('bench-tasks'), 'bounce');
  const rawTrip = (moved: boolean): RoundTrip => (data) => {
    const back = once(echo, 'message') as Promise<[{ data: Float64Array<ArrayBuffer> }]>;
    echo.postMessage({ data, moved }, moved ? [data.buffer] : []);
    return back.then(([message]) => message.data);
  };
  const subjects: Array<[string, RoundTrip]> = [
    ['move.raw.copy', rawTrip(false)],
    ['move.raw.transfer', rawTrip(true)],
    ['move.call.copy', (data) => server.call({ type: 'echo', value: data }) as Promise<Float64Array<ArrayBuffer>>],
    ['move.call.moved', (data) => server.call({ type: 'bounce', value: move(data) }) as Promise<Float64Array<ArrayBuffer>>],
    ['move.task.copy', (data) => pool.async(noop, data).await(60_000) as Promise<Float64Array<ArrayBuffer>>],
    ['move.task.moved', (data) => pool.async(bounce, move(data)).await(60_000) as Promise<Float64Array<ArrayBuffer>>],
  ];
  try {
    let data = new Float64Array((config.moveMiB * 2 ** 20) / Float64Array.BYTES_PER_ELEMENT).fill(1);
    const samples = subjects.map((): number[] => []);
    for (let repetition = -1; repetition < config.repetitions; repetition++) {
      const order = repetition % 2 === 0 ? subjects.map((_, index) => index) : subjects.map((_, index) => subjects.length - 1 - index);
      for (const index of order) {
        const measured = await timeRoundTrips(subjects[index]![1], data, 10);
        data = measured.data;
        // The first repetition warms up.
        if (repetition >= 0) samples[index]!.push(measured.ms);
      }
    }
    if (data.length * Float64Array.BYTES_PER_ELEMENT !== config.moveMiB * 2 ** 20 || data[data.length - 1] !== 1) {
      throw new Error('move cases: the payload did not come back whole');
    }
    const unit = `ms per round trip of ${config.moveMiB} MiB`;
    const cases = subjects.map(([id], index) => report.add({ id, unit, ...summarize(samples[index]!) }));
    const [rawCopy, rawTransfer, callCopy, callMoved, taskCopy, taskMoved] = cases as [typeof cases[0], typeof cases[0], typeof cases[0], typeof cases[0], typeof cases[0], typeof cases[0]];
    report.ratio('move: call moved / raw transfer', callMoved, rawTransfer, '<= 3');
    report.ratio('move: task moved / raw transfer', taskMoved, rawTransfer, '<= 3');
    report.ratio('move: call copied / moved', callCopy, callMoved, '>= 10');
    report.ratio('move: task copied / moved', taskCopy, taskMoved, '>= 10');
    report.ratio('move: raw copied / transferred', rawCopy, rawTransfer, undefined);
  } finally {
    await Promise.all([echo.terminate(), server.stop(), pool.shutdown()]);
  }
}
