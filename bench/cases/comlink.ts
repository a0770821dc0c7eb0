import type { BenchConfig } from '../config';
import type { CaseResult, Report } from '../report';
import { comlinkSubject, genServerSubject, latencies, pipelined, rawSubject, type CallSubject } from '../subjects';
import { canPin } from '../pinning';
import { alternate, latencyCase, pinnedSamples, rateCase } from './calls';

const SUBJECTS = ['raw', 'ours', 'comlink', 'comlinkTraced'] as const;
type SubjectName = (typeof SUBJECTS)[number];
const IDS: Record<SubjectName, string> = { raw: 'call.raw (comlink run)', ours: 'call.traced (comlink run)', comlink: 'comlink.bare', comlinkTraced: 'comlink.traced' };

/**
 * Comlink, bare and on worker-otp's traced endpoints, beside a traced GenServer call and a
 * bare postMessage echo, with worker-otp's own pipeline tracing (set up by the caller).
 * The goal: a traced worker-otp call is faster than a bare Comlink call.
 */
export async function comlinkCases(report: Report, config: BenchConfig, collectorUrl: string): Promise<void> {
  const subjects: Record<SubjectName, CallSubject> = { raw: await rawSubject(), ours: await genServerSubject(), comlink: await comlinkSubject(false), comlinkTraced: await comlinkSubject(true) };
  const inTurn = <T>(measure: (subject: CallSubject) => Promise<T>) => alternate(config.repetitions, SUBJECTS.map((name) => subjects[name]), measure);
  const byName = <T>(values: T[]) => Object.fromEntries(SUBJECTS.map((name, index) => [name, values[index]!])) as Record<SubjectName, T>;
  try {
    // Sequential latency on one core when taskset is there (see calls.ts), else in this process.
    const pinned = canPin();
    const samples = pinned ? (pinnedSamples(config, 'comlink', collectorUrl) as Record<SubjectName, number[][]>) : byName(await inTurn((subject) => latencies(subject, config.roundTrips)));
    const where = pinned ? ' (one core)' : '';
    const latency = byName(SUBJECTS.map((name) => report.add(latencyCase(`${IDS[name]}${where}`, samples[name]))));
    const p50 = (c: CaseResult) => c.median;
    report.ratio(`comlink.bare p50 / raw${where}`, latency.comlink, latency.raw, undefined, p50);
    report.ratio(`comlink.traced p50 / raw${where}`, latency.comlinkTraced, latency.raw, undefined, p50);
    report.ratio(`call.traced p50 / comlink.bare${where}`, latency.ours, latency.comlink, '<= 1', p50);

    const rate = byName((await inTurn((subject) => pipelined(subject, config.pipelined, config.inFlight))).map((rates, index) => report.add(rateCase(`${IDS[SUBJECTS[index]!]}.pipelined`, 'round trips/s', rates))));
    report.ratio('comlink.bare pipelined / raw', rate.comlink, rate.raw, undefined);
    report.ratio('comlink.traced pipelined / raw', rate.comlinkTraced, rate.raw, undefined);
    report.ratio('call.traced pipelined / comlink.bare', rate.ours, rate.comlink, '>= 1');
  } finally {
    await Promise.all(SUBJECTS.map((name) => subjects[name].close()));
  }
}
