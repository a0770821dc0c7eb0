/**
 * A small system to watch in the live view: a supervisor with the UserCache and a flaky
 * worker (a poison message crashes it every few seconds, and it is restarted), a nested
 * supervisor, and a task pool with reports rendering. Run it with `npm run observe`, open
 * the URL it prints (it holds the access token), and stop it with Ctrl-C.
 *
 *   npm run observe                          until Ctrl-C
 *   npm run observe -- --seconds 30          for 30 s
 *   PORT=4000 npm run observe                on a port of your choice
 */
import { join } from 'node:path';
import { Supervisor, TaskSupervisor, call, currentTelemetry, observe, startTelemetry, stopAll, supervisorChild, taskRef, workerChild } from '../index';
import { localExporterUnlessConfigured } from './support/local-exporter';
import type * as CpuTasks from './cpu-tasks';

const CRASH_EVERY_MS = 5000;
const WORK_EVERY_MS = 200;

async function main(argv: readonly string[]): Promise<void> {
  const secondsAt = argv.indexOf('--seconds');
  const seconds = secondsAt >= 0 ? Number(argv[secondsAt + 1]) : Infinity;
  if (!(seconds > 0)) throw new TypeError('observe: --seconds needs a positive number');
  // Spans kept here (or sent to a collector when one is configured): exits in the view show their trace ids.
  startTelemetry({ serviceName: 'worker-otp-observe', ...localExporterUnlessConfigured() });
  // The live view first: processes started after it report their mailbox and heap.
  const view = await observe({ port: Number(process.env.PORT ?? 0), log: (line) => console.log(`${line}\n(open it in a browser; Ctrl-C stops)`) });
  const supervisor = await Supervisor.start(
    [
      workerChild('user_cache', join(__dirname, 'user-cache-server.js'), { ttl: 600 }, { name: 'user_cache' }),
      workerChild('flaky_worker', join(__dirname, 'flaky-worker-server.js'), undefined, { name: 'flaky_worker' }),
      supervisorChild('workers_sup', [0, 1].map((index) => workerChild(`cache_${index}`, join(__dirname, 'user-cache-server.js'), { ttl: 60 }, { name: `cache_${index}` })), {
        strategy: 'one_for_all',
      }),
    ],
    { name: 'demo_sup', maxRestarts: 1000, maxSeconds: 1 },
  );
  const reports = TaskSupervisor.start({ name: 'reports', maxThreads: 2 });
  const crunch = taskRef<typeof CpuTasks, 'crunch'>(join(__dirname, 'cpu-tasks.js'), 'crunch');
  let round = 0;
  const work = setInterval(() => {
    round += 1;
    void call('user_cache', { type: 'get_user', userId: round % 7 }).catch(() => undefined);
    void call('flaky_worker', { type: 'work', input: `round ${round}` }).catch(() => undefined);
    void reports.async(crunch, round).await(30_000).catch(() => undefined);
  }, WORK_EVERY_MS);
  const crash = setInterval(() => void call('flaky_worker', { type: 'poison' }).catch(() => undefined), CRASH_EVERY_MS);
  const stop = async () => {
    clearInterval(work);
    clearInterval(crash);
    await stopAll();
    await view.close();
    await currentTelemetry()?.shutdown();
  };
  process.once('SIGINT', () => void stop());
  if (seconds !== Infinity) setTimeout(() => void stop(), seconds * 1000);
  void supervisor;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
