import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Whether `taskset` can put a process on one core here (util-linux on Linux). */
export const canPin = (() => {
  let answer: boolean | undefined;
  return () => (answer ??= spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0);
})();

/**
 * Keeps process `pid` (all its threads) off core 0, where the latency cases run, when the
 * machine has another core and `taskset`: a collector runs elsewhere, and on core 0 its
 * decoding would land in the latencies measured, on some runs and not others.
 */
export function keepOffMeasuredCore(pid: number): void {
  const cores = availableParallelism();
  if (cores < 2 || !canPin()) return;
  spawnSync('taskset', ['-a', '-p', '-c', `1-${cores - 1}`, String(pid)], { stdio: 'ignore' });
}
