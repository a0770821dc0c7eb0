/**
 * The chaos test, for longer: seeded rounds of faults under load until the time is up,
 * then the same invariants, with throughput.
 *
 *   npm run soak -- --seconds 120
 *
 * Memory: the heap after three warm-up rounds against the heap at the end, each after 3 s
 * idle and a full collection (the script runs with --expose-gc), read from a heap snapshot
 * as V8's compiled code and type feedback, and the rest: the program's data, where a leak
 * would show, and what the 10 % bound applies to. The code part grows for a long while as
 * V8 optimises the paths that faults make hot (+1 MiB over 30 rounds). Idle first: the
 * sockets a round closed are released by Node a moment later, and with them the test
 * receiver's decoded spans.
 */
import { processFaultsOf, runChaos, type ChaosReport } from '../tests/support/chaos';
import { heapComposition, type HeapComposition } from './heap-composition';

const WARM_UP_ROUNDS = 3;

async function main(argv: readonly string[]): Promise<void> {
  const index = argv.indexOf('--seconds');
  const seconds = index >= 0 ? Number(argv[index + 1]) : 60;
  if (!(seconds > 0)) throw new TypeError('soak: --seconds takes a positive number');
  const deadline = Date.now() + seconds * 1000;
  if (!(globalThis as { gc?: () => void }).gc) throw new Error('soak: run with node --expose-gc (npm run soak does)');
  const heap = async () => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return heapComposition();
  };
  const reports: ChaosReport[] = [];
  let heapAtStart: HeapComposition | undefined;
  for (let round = 0; Date.now() < deadline; round++) {
    reports.push(await runChaos({ seed: 1000 + round, processFaults: 24, taskFaults: 6, callers: 8, tailMs: 1000 }));
    if (round === WARM_UP_ROUNDS - 1) heapAtStart = await heap();
    console.error(`[soak] round ${round + 1} done`);
  }
  const heapAtEnd = await heap();
  heapAtStart ??= heapAtEnd;
  const dataGrowth = heapAtEnd.dataBytes / heapAtStart.dataBytes;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const sum = (pick: (report: ChaosReport) => number) => reports.reduce((total, report) => total + pick(report), 0);
  const faults: Record<string, number> = {};
  for (const report of reports) for (const [kind, count] of Object.entries(report.faults)) faults[kind] = (faults[kind] ?? 0) + count;
  const processFaults = sum(processFaultsOf);
  const lines = [
    '| measure | value |',
    '|---|---:|',
    `| rounds (seeds 1000..${999 + reports.length}) | ${reports.length} |`,
    ...Object.entries(faults).map(([kind, count]) => `| faults injected: ${kind} | ${count} |`),
    `| restarts observed (expected ${processFaults}) | ${sum((report) => report.restartsObserved)} |`,
    `| calls and tasks made | ${sum((report) => report.callsMade)} |`,
    `| settled (resolved or typed error) | ${sum((report) => report.callsSettled)} |`,
    `| rejections without a typed error | ${sum((report) => report.untypedRejections.length)} |`,
    `| throughput under faults | ${(sum((report) => report.callsMade) / (sum((report) => report.durationMs) / 1000)).toFixed(0)} calls+tasks/s |`,
    `| spans exported | ${sum((report) => report.spansExported)} |`,
    `| spans whose parent never arrived | ${sum((report) => report.orphanSpans.length)} |`,
    `| unhandled rejections | ${sum((report) => report.unhandledRejections.length)} |`,
    `| starts that resolved with a dead process | ${sum((report) => report.deadStarts)} |`,
    `| pool shutdowns past their deadline | ${sum((report) => report.unendedShutdowns)} |`,
    `| SIGTERM rounds with lost work | ${sum((report) => (report.signalRoundFailures.length > 0 ? 1 : 0))} |`,
    `| heap data after ${WARM_UP_ROUNDS} warm-up rounds → at the end | ${mib(heapAtStart.dataBytes)} → ${mib(heapAtEnd.dataBytes)} (× ${dataGrowth.toFixed(3)}) |`,
    `| V8 code and type feedback, same moments | ${mib(heapAtStart.codeBytes)} → ${mib(heapAtEnd.codeBytes)} |`,
  ];
  console.log(lines.join('\n'));
  const broken =
    sum((report) => report.callsMade - report.callsSettled) + sum((report) => report.untypedRejections.length) + sum((report) => report.orphanSpans.length) +
    sum((report) => report.unhandledRejections.length) + Math.abs(processFaults - sum((report) => report.restartsObserved)) +
    sum((report) => report.deadStarts + report.unendedShutdowns + report.signalRoundFailures.length);
  for (const report of reports) {
    for (const failure of report.signalRoundFailures) console.error(`[soak] SIGTERM round: ${failure}`);
    for (const reason of report.unhandledRejections) console.error('[soak] unhandled rejection:', reason);
  }
  if (broken > 0 || dataGrowth > 1.1) process.exitCode = 1;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
