import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchConfig } from '../config';
import type { CaseResult, RatioResult, Report } from '../report';

/**
 * Library mode (see library-mode.ts), each part in a process of its own: the application's
 * SDK is process-wide, and the preload part runs under the zero-code preload.
 */
export function libraryCases(report: Report, config: BenchConfig, collectorUrl: string, collectorEnv: NodeJS.ProcessEnv): void {
  const script = join(__dirname, '..', 'library-mode.js');
  for (const [part, nodeArgs] of [
    ['traced', []],
    ['preload', ['--require', '@opentelemetry/auto-instrumentations-node/register']],
  ] as const) {
    const child = spawnSync(process.execPath, [...nodeArgs, script, config.name, collectorUrl, part], {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
      env: { ...process.env, ...collectorEnv },
    });
    if (child.status !== 0) throw new Error(`library mode ${part} run failed (${child.status}): ${child.stderr}`);
    const { cases, ratios } = JSON.parse(child.stdout) as { cases: CaseResult[]; ratios: RatioResult[] };
    report.cases.push(...cases);
    report.ratios.push(...ratios);
  }
  // Beside worker-otp's own pipeline, measured earlier in the same run.
  for (const [library, own] of [
    ['call.library (one core)', 'call.traced (one core)'],
    ['call.library', 'call.traced'],
    ['call.library.pipelined', 'call.traced.pipelined'],
    ['cast.library', 'cast.traced'],
    ['task.library', 'task.traced'],
  ] as const) {
    report.compare(`${library} / own pipeline`, library, own);
  }
}
