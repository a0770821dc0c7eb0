/**
 * The benchmark cases of library mode, in a process of their own, as an application runs
 * them: `node dist/bench/library-mode.js <config> <collector URL> <part>`; prints the part's
 * report as JSON on stdout.
 * - `traced`: calls, casts and tasks traced by the application's SDK (its batch processor
 *   and OTLP exporter; see app-sdk.ts), which worker-otp joins;
 * - `preload`: run under the zero-code preload (`--require
 *   @opentelemetry/auto-instrumentations-node/register`): how soon a GenServer is ready
 *   against a bare Worker (one that does not run the preload: what a thread costs).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { startGenServer } from '../index';
import { startAppSdk } from './app-sdk';
import { callCases } from './cases/calls';
import { taskCases } from './cases/tasks';
import { CONFIGS, type BenchConfig } from './config';
import { Report } from './report';
import { summarize } from './stats';
import { fixture } from './subjects';

const millisSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** A Worker without the application's preloads, to its first message back. */
async function bareWorker(preloadInherited: boolean): Promise<number> {
  const start = process.hrtime.bigint();
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const worker = new Worker(fixture('echo-worker'), preloadInherited ? {} : { execArgv: [], env });
  worker.postMessage('hello');
  await once(worker, 'message');
  const ms = millisSince(start);
  await worker.terminate();
  return ms;
}

async function genServer(): Promise<number> {
  const start = process.hrtime.bigint();
  const server = await startGenServer(fixture('echo-server'), undefined);
  const ms = millisSince(start);
  await server.kill();
  return ms;
}

async function preloadCases(report: Report, config: BenchConfig): Promise<void> {
  await bareWorker(false);
  await genServer();
  const bare: number[] = [];
  const ours: number[] = [];
  for (let repetition = 0; repetition < config.spawns; repetition++) {
    bare.push(await bareWorker(false));
    ours.push(await genServer());
  }
  const bareCase = report.add({ id: 'spawn.worker (zero-code preload run)', unit: 'ms to first message', ...summarize(bare) });
  const ourCase = report.add({ id: 'spawn.genserver (zero-code preload)', unit: 'ms to ready', ...summarize(ours) });
  report.ratio('spawn genserver (zero-code preload) / worker', ourCase, bareCase, '<= 1.5');
  // For scale: a Worker that inherits the preload, as every thread did before worker-otp left it out.
  const inherited = await bareWorker(true);
  report.add({ id: 'spawn.worker inheriting the preload', unit: 'ms to first message', median: inherited, min: inherited, max: inherited, samples: 1 });
}

async function main(): Promise<void> {
  const [configName, collectorUrl, part] = process.argv.slice(2) as [BenchConfig['name'], string, 'traced' | 'preload'];
  const config = CONFIGS[configName];
  const report = new Report();
  if (part === 'preload') {
    await preloadCases(report, config);
  } else {
    const sdk = startAppSdk(collectorUrl);
    try {
      await callCases(report, config, 'library', collectorUrl);
      await taskCases(report, config, 'library');
    } finally {
      await sdk.shutdown();
    }
  }
  process.stdout.write(JSON.stringify({ cases: report.cases, ratios: report.ratios }));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.exitCode = 1;
    console.error(error);
  });
}
