/**
 * Sequential call latencies with the whole process on one core, run by the benchmark as
 * `taskset -c 0 node dist/bench/pinned-latency.js <config> <label> [collector URL]`; prints
 * `{ raw, ours }` (µs per round trip, one array per repetition) as JSON on stdout; with the
 * `comlink` label (traced by worker-otp's own pipeline) also `comlink` (bare Comlink) and
 * `comlinkTraced` (Comlink on worker-otp's traced endpoints).
 *
 * Why one core: on a 2-vCPU VM a round trip costs ~8 µs when the OS runs the worker on the
 * caller's core and ~70 µs when it must wake the other one, whoever the worker is, and which
 * one a thread gets is the scheduler's choice. On one core every round trip is the
 * same-core case, so the ratio is the runtime's own cost, not placement luck.
 */
import { startTelemetry, type Telemetry } from '../index';
import { startAppSdk } from './app-sdk';
import { CONFIGS, type BenchConfig } from './config';
import { comlinkSubject, genServerSubject, latencies, rawSubject, type CallSubject } from './subjects';

/** The healthy traces tail sampling keeps in the `tail` cases: its default, 1 %. */
export const TAIL_KEEP_RATIO = 0.01;

/** `library`: traced by the application's own SDK (see app-sdk.ts), which worker-otp joins. */
export type PinnedLabel = 'untraced' | 'traced' | 'sampled10' | 'library' | 'comlink' | 'tail';

function telemetryFor(label: PinnedLabel, collectorUrl: string | undefined): Pick<Telemetry, 'shutdown'> | undefined {
  if (label === 'untraced') return undefined;
  if (label === 'library') return startAppSdk(collectorUrl!);
  return startTelemetry({
    endpoint: collectorUrl,
    sampler: label === 'sampled10' ? { name: 'parentbased_traceidratio', ratio: 0.1 } : { name: 'always_on' },
    env: {},
    serviceName: 'worker-otp-bench',
    ...(label === 'tail' ? { tailSampling: { keepRatio: TAIL_KEEP_RATIO } } : {}),
  });
}

async function main(): Promise<void> {
  const [configName, label, collectorUrl] = process.argv.slice(2) as [BenchConfig['name'], PinnedLabel, string | undefined];
  const config = CONFIGS[configName];
  const telemetry = telemetryFor(label, collectorUrl);
  const subjects: Record<string, CallSubject> = { raw: await rawSubject(), ours: await genServerSubject() };
  if (label === 'comlink') {
    subjects.comlink = await comlinkSubject(false);
    subjects.comlinkTraced = await comlinkSubject(true);
  }
  const names = Object.keys(subjects);
  const samples: Record<string, number[][]> = Object.fromEntries(names.map((name) => [name, []]));
  try {
    for (const name of names) await latencies(subjects[name]!, config.roundTrips);
    for (let repetition = 0; repetition < config.repetitions; repetition++) {
      // The order alternates, so no subject always runs right after the same other one.
      for (const name of repetition % 2 === 0 ? names : [...names].reverse()) samples[name]!.push(await latencies(subjects[name]!, config.roundTrips));
    }
  } finally {
    await Promise.all(Object.values(subjects).map((subject) => subject.close()));
    await telemetry?.shutdown();
  }
  process.stdout.write(JSON.stringify(samples));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.exitCode = 1;
    console.error(error);
  });
}
