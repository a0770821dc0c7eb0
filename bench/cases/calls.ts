import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchConfig } from '../config';
import type { PinnedLabel } from '../pinned-latency';
import { canPin } from '../pinning';
import type { CaseResult, Report } from '../report';
import { quantile, summarize } from '../stats';
import { genServerSubject, latencies, oneWayThroughput, pipelined, rawSubject, type CallSubject } from '../subjects';

/** Runs `measure` on each subject in turn, alternating the order, after one warm-up each. */
export async function alternate<T>(repetitions: number, subjects: readonly CallSubject[], measure: (subject: CallSubject) => Promise<T>): Promise<T[][]> {
  for (const subject of subjects) await measure(subject);
  const results: T[][] = subjects.map(() => []);
  for (let repetition = 0; repetition < repetitions; repetition++) {
    const order = repetition % 2 === 0 ? subjects.map((_, index) => index) : subjects.map((_, index) => subjects.length - 1 - index);
    for (const index of order) results[index]!.push(await measure(subjects[index]!));
  }
  return results;
}

export function latencyCase(id: string, repetitions: number[][]): CaseResult {
  const all = repetitions.flat();
  return { id, unit: 'µs round trip', ...summarize(repetitions.map((samples) => quantile(samples, 0.5))), p50: quantile(all, 0.5), p99: quantile(all, 0.99) };
}

export function rateCase(id: string, unit: string, rates: number[]): CaseResult {
  return { id, unit, ...summarize(rates) };
}

/**
 * Sequential round-trip latencies of a bare echo and a GenServer, each repetition on
 * fresh threads. Why fresh: on a 2-core VM a round trip costs ~8 µs when the OS runs the
 * worker on the caller's core and ~70 µs when it must wake the other core, and the
 * placement sticks to a thread; new threads each repetition sample both placements
 * instead of measuring one by chance.
 */
async function freshLatencies(config: BenchConfig): Promise<[number[][], number[][]]> {
  const raw: number[][] = [];
  const ours: number[][] = [];
  for (let repetition = 0; repetition < config.repetitions + 1; repetition++) {
    // Creation order matters to placement too: alternate it.
    const rawFirst = repetition % 2 === 0 ? await rawSubject() : undefined;
    const server = await genServerSubject();
    const subjects = [rawFirst ?? (await rawSubject()), server] as const;
    try {
      const order = repetition % 2 === 0 ? [0, 1] : [1, 0];
      const measured: number[][] = [];
      for (const index of order) measured[index] = await latencies(subjects[index]!, config.roundTrips);
      // The first repetition is the warm-up.
      if (repetition > 0) {
        raw.push(measured[0]!);
        ours.push(measured[1]!);
      }
    } finally {
      await Promise.all(subjects.map((subject) => subject.close()));
    }
  }
  return [raw, ours];
}


/** Latencies measured by a child process pinned to one core (see pinned-latency.ts), by subject. */
export function pinnedSamples(config: BenchConfig, label: PinnedLabel, collectorUrl: string | undefined): Record<string, number[][]> {
  const script = join(__dirname, '..', 'pinned-latency.js');
  const child = spawnSync('taskset', ['-c', '0', process.execPath, script, config.name, label, ...(collectorUrl ? [collectorUrl] : [])], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (child.status !== 0) throw new Error(`pinned latency run failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as Record<string, number[][]>;
}

/**
 * The cost of `maxMailbox` (an atomic add on each side of every message): the same
 * traffic to a process with a bound it never reaches, against one without.
 */
async function boundedMailboxCases(report: Report, config: BenchConfig, unbounded: CallSubject): Promise<void> {
  const bounded = await genServerSubject({ maxMailbox: config.casts + config.inFlight + 16 });
  try {
    const [plainRate, boundedRate] = await alternate(config.repetitions, [unbounded, bounded], (subject) => pipelined(subject, config.pipelined, config.inFlight));
    const plainPipelined = report.add(rateCase('call.untraced.pipelined (bounded run)', 'round trips/s', plainRate!));
    const boundedPipelined = report.add(rateCase('call.bounded_mailbox.pipelined', 'round trips/s', boundedRate!));
    report.ratio('call.bounded_mailbox pipelined / unbounded', boundedPipelined, plainPipelined, '>= 0.9');
    const [plainCasts, boundedCasts] = await alternate(config.repetitions, [unbounded, bounded], (subject) => oneWayThroughput(subject, config.casts));
    const castPlain = report.add(rateCase('cast.untraced (bounded run)', 'messages/s', plainCasts!));
    const castBounded = report.add(rateCase('cast.bounded_mailbox', 'messages/s', boundedCasts!));
    report.ratio('cast.bounded_mailbox / unbounded', castBounded, castPlain, '>= 0.9');
  } finally {
    await bounded.close();
  }
}

/**
 * Calls and casts to a GenServer against a bare worker echo, in one phase: telemetry is
 * set up by the caller for `label` (`untraced`, `traced`, `sampled10`). Sequential
 * latencies are measured on one core when `taskset` is there (a child process exporting to
 * `collectorUrl`), else on fresh threads compared best placement with best placement.
 */
export async function callCases(report: Report, config: BenchConfig, label: PinnedLabel, collectorUrl?: string): Promise<void> {
  const rawId = label === 'untraced' ? 'call.raw' : `call.raw (${label} run)`;
  // Library mode's cost is largely the application's SDK, and tail sampling's is set against
  // head sampling's: both reported beside worker-otp's own pipeline, without a goal.
  const withGoal = label !== 'library' && label !== 'tail';
  const goal = label === 'untraced' ? '<= 1.15' : withGoal ? '<= 1.3' : undefined;
  const rateGoal = label === 'untraced' ? '>= 0.5' : withGoal ? '>= 0.3' : undefined;
  if (canPin()) {
    const { raw: rawLatency, ours: serverLatency } = pinnedSamples(config, label, collectorUrl);
    const rawCase = report.add(latencyCase(`${rawId} (one core)`, rawLatency!));
    const serverCase = report.add(latencyCase(`call.${label} (one core)`, serverLatency!));
    report.ratio(`call.${label} p50 / raw (one core)`, serverCase, rawCase, goal, (c) => c.median);
  } else {
    const [rawLatency, serverLatency] = await freshLatencies(config);
    const rawCase = report.add(latencyCase(rawId, rawLatency));
    const serverCase = report.add(latencyCase(`call.${label}`, serverLatency));
    // Best placement against best placement: the minimum over repetitions of each one's p50
    // is the round trip without a cross-core wake-up, the runtime's own cost on top.
    report.ratio(`call.${label} p50 / raw (best placement)`, serverCase, rawCase, goal, (c) => c.min);
  }
  if (label === 'sampled10') return;

  const raw = await rawSubject();
  const server = await genServerSubject();
  try {
    const [rawRate, serverRate] = await alternate(config.repetitions, [raw, server], (subject) => pipelined(subject, config.pipelined, config.inFlight));
    const rawPipelined = report.add(rateCase(`${rawId}.pipelined`, 'round trips/s', rawRate!));
    const serverPipelined = report.add(rateCase(`call.${label}.pipelined`, 'round trips/s', serverRate!));
    report.ratio(`call.${label} pipelined / raw`, serverPipelined, rawPipelined, rateGoal);

    const [rawCasts, serverCasts] = await alternate(config.repetitions, [raw, server], (subject) => oneWayThroughput(subject, config.casts));
    const castRaw = report.add(rateCase(label === 'untraced' ? 'cast.raw' : `cast.raw (${label} run)`, 'messages/s', rawCasts!));
    const castServer = report.add(rateCase(`cast.${label}`, 'messages/s', serverCasts!));
    report.ratio(`cast.${label} / raw`, castServer, castRaw, rateGoal);
    if (label === 'untraced') await boundedMailboxCases(report, config, server);
  } finally {
    await Promise.all([raw.close(), server.close()]);
  }
}
