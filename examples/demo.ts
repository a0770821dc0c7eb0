/**
 * Runs every example in turn, each in its own Node process as a user would, and exits
 * non-zero if any of them failed. `npm run demo` builds, then runs this.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const EXAMPLES = [
  ['user-cache', 'a GenServer in its own thread, traced across every hop'],
  ['critical-service', 'lifecycle spans of a supervised process'],
  ['supervised-crash', 'a crash, the caller told at once, the supervisor restarting'],
  ['report-generator', 'three fetches in parallel on a task pool, one trace'],
  ['data-processor', 'a concurrent batch with one invalid item'],
  ['external-service', 'OK, HTTP error and raised error, each on its span'],
] as const;

const failed: string[] = [];
for (const [name, summary] of EXAMPLES) {
  console.log(`\n=== ${name}: ${summary}\n`);
  const run = spawnSync(process.execPath, [join(__dirname, `${name}.js`)], { stdio: 'inherit' });
  if (run.status !== 0) failed.push(`${name} (exit ${run.status ?? run.signal})`);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
} else {
  console.log(`\nall ${EXAMPLES.length} examples behaved as intended`);
}
