/** How much each case does: `tiny` for the smoke test, `quick` (< 2 min), `full` (< 10 min). */
export interface BenchConfig {
  readonly name: 'tiny' | 'quick' | 'full';
  /** Repetitions of each measurement, after one warm-up repetition. */
  readonly repetitions: number;
  readonly roundTrips: number;
  readonly pipelined: number;
  readonly inFlight: number;
  readonly casts: number;
  readonly tasks: number;
  readonly tasks1ms: number;
  readonly batchItems1ms: number;
  readonly batchItems10us: number;
  readonly spawns: number;
  readonly restarts: number;
  readonly memoryCounts: readonly number[];
  readonly exportSeconds: number;
  readonly exportSpansPerSecond: number;
  /** The payload of the move cases, MiB. */
  readonly moveMiB: number;
}

export const CONFIGS: Record<BenchConfig['name'], BenchConfig> = {
  tiny: {
    name: 'tiny', repetitions: 1, roundTrips: 20, pipelined: 100, inFlight: 16, casts: 200, tasks: 100, tasks1ms: 8,
    batchItems1ms: 8, batchItems10us: 200, spawns: 1, restarts: 1, memoryCounts: [2], exportSeconds: 0.2, exportSpansPerSecond: 2000, moveMiB: 1,
  },
  quick: {
    name: 'quick', repetitions: 3, roundTrips: 500, pipelined: 5000, inFlight: 64, casts: 10_000, tasks: 2000, tasks1ms: 100,
    batchItems1ms: 100, batchItems10us: 20_000, spawns: 5, restarts: 3, memoryCounts: [20], exportSeconds: 1, exportSpansPerSecond: 50_000, moveMiB: 16,
  },
  full: {
    name: 'full', repetitions: 7, roundTrips: 2000, pipelined: 20_000, inFlight: 64, casts: 50_000, tasks: 10_000, tasks1ms: 400,
    batchItems1ms: 400, batchItems10us: 100_000, spawns: 20, restarts: 20, memoryCounts: [20, 100], exportSeconds: 3, exportSpansPerSecond: 50_000, moveMiB: 64,
  },
};
