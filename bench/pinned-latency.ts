/**
 * Sequential call latencies with the whole process on one core, run by the benchmark as
 * `taskset -c 0 node dist/bench/pinned-latency.js <config> <label> [collector URL]`; prints
 * `{ raw, ours }` (µs per round trip, one array per repetition) as JSON on stdout.
 *
 * Why one core: on a 2-vCPU VM a round trip costs ~8 µs when the OS runs the worker on the
 * caller's core and ~70 µs when it must wake the other one, whoever the worker is, and which
 * one a thread gets is the scheduler's choice. On one core every round trip is the
 * same-core case, so the ratio is the runtime's own cost, not placement luck.
 */
import { startTelemetry, type Telemetry } from '../index';
import { startAppSdk } from './app-sdk';
import { CONFIGS, type BenchConfig } from './config';
import { genServerSubject, latencies, rawSubject } from './subjects';

/** `library`: traced by the application's own SDK (see app-sdk.ts), which worker-otp joins. */
export type PinnedLabel = 'untraced' | 'traced' | 'sampled10' | 'library';

function telemetryFor(label: PinnedLabel, collectorUrl: string | undefined): Pick<Telemetry, 'shutdown'> | undefined {
  if (label === 'untraced') return undefined;
  if (label === 'library') return startAppSdk(collectorUrl!);
  return startTelemetry({
    endpoint: collectorUrl,
    sampler: label === 'traced' ? { name: 'always_on' } : { name: 'parentbased_traceidratio', ratio: 0.1 },
    env: {},
    serviceName: 'worker-otp-bench',
  });
}

async function main(): Promise<void> {
  const [configName, label, collectorUrl] = process.argv.slice(2) as [BenchConfig['name'], PinnedLabel, string | undefined];
  const config = CONFIGS[configName];
  const telemetry = telemetryFor(label, collectorUrl);
  const raw = await rawSubject();
  const ours = await genServerSubject();
  const samples: { raw: number[][]; ours: number[][] } = { raw: [], ours: [] };
  try {
    await latencies(raw, config.roundTrips);
    await latencies(ours, config.roundTrips);
    for (let repetition = 0; repetition < config.repetitions; repetition++) {
      const rawFirst = repetition % 2 === 0;
      if (rawFirst) samples.raw.push(await latencies(raw, config.roundTrips));
      samples.ours.push(await latencies(ours, config.roundTrips));
      if (!rawFirst) samples.raw.push(await latencies(raw, config.roundTrips));
    }
  } finally {
    await Promise.all([raw.close(), ours.close()]);
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
