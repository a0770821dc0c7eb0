/**
 * The chaos test, for longer: seeded rounds of faults under load until the time is up,
 * then the same invariants, with throughput.
 *
 *   npm run soak -- --seconds 120
 */
import { runChaos, type ChaosReport } from '../tests/support/chaos';

async function main(argv: readonly string[]): Promise<void> {
  const index = argv.indexOf('--seconds');
  const seconds = index >= 0 ? Number(argv[index + 1]) : 60;
  if (!(seconds > 0)) throw new TypeError('soak: --seconds takes a positive number');
  const deadline = Date.now() + seconds * 1000;
  const reports: ChaosReport[] = [];
  for (let round = 0; Date.now() < deadline; round++) {
    reports.push(await runChaos({ seed: 1000 + round, processFaults: 24, taskFaults: 6, callers: 8, tailMs: 1000 }));
    console.error(`[soak] round ${round + 1} done`);
  }
  const sum = (pick: (report: ChaosReport) => number) => reports.reduce((total, report) => total + pick(report), 0);
  const faults: Record<string, number> = {};
  for (const report of reports) for (const [kind, count] of Object.entries(report.faults)) faults[kind] = (faults[kind] ?? 0) + count;
  const processFaults = sum((report) => Object.entries(report.faults).filter(([kind]) => kind !== 'task exit').reduce((total, [, count]) => total + count, 0));
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
  ];
  console.log(lines.join('\n'));
  const broken =
    sum((report) => report.callsMade - report.callsSettled) + sum((report) => report.untypedRejections.length) + sum((report) => report.orphanSpans.length) +
    sum((report) => report.unhandledRejections.length) + Math.abs(processFaults - sum((report) => report.restartsObserved));
  if (broken > 0) process.exitCode = 1;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
