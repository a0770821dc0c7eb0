import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { NoProcessError, Supervisor, call, startGenServer, workerChild, type GenServer } from '../../index';
import type { BenchConfig } from '../config';
import type EchoServer from '../fixtures/echo-server';
import type { Report } from '../report';
import { summarize } from '../stats';
import { fixture } from '../subjects';

const millisSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** A bare Worker, created, to its first message back. */
async function bareWorkerSpawn(): Promise<{ ms: number; worker: Worker }> {
  const start = process.hrtime.bigint();
  const worker = new Worker(fixture('echo-worker'));
  worker.postMessage('hello');
  await once(worker, 'message');
  return { ms: millisSince(start), worker };
}

async function genServerSpawn(): Promise<{ ms: number; server: GenServer<typeof EchoServer> }> {
  const start = process.hrtime.bigint();
  const server = await startGenServer<typeof EchoServer>(fixture('echo-server'), undefined);
  return { ms: millisSince(start), server };
}

/** Spawn, restart and memory, in the traced phase (the runtime's threads load tracing). */
export async function lifecycleCases(report: Report, config: BenchConfig): Promise<void> {
  await (await bareWorkerSpawn()).worker.terminate();
  await (await genServerSpawn()).server.kill();
  const bare: number[] = [];
  const ours: number[] = [];
  for (let repetition = 0; repetition < config.spawns; repetition++) {
    const worker = await bareWorkerSpawn();
    bare.push(worker.ms);
    await worker.worker.terminate();
    const server = await genServerSpawn();
    ours.push(server.ms);
    await server.server.kill();
  }
  const bareCase = report.add({ id: 'spawn.worker', unit: 'ms to first message', ...summarize(bare) });
  const ourCase = report.add({ id: 'spawn.genserver', unit: 'ms to ready', ...summarize(ours) });
  report.ratio('spawn genserver / worker', ourCase, bareCase, '<= 1.5');

  const supervisor = await Supervisor.start([workerChild<typeof EchoServer>('echo', fixture('echo-server'), undefined, { name: 'bench_echo' })], {
    maxRestarts: config.restarts + 2,
    maxSeconds: 3600,
  });
  try {
    const restarts: number[] = [];
    for (let repetition = 0; repetition < config.restarts; repetition++) {
      const start = process.hrtime.bigint();
      await call('bench_echo', { type: 'crash' }).catch(() => undefined);
      // The restart is under way once the supervisor has handled the exit; until the new
      // process holds the name, a call gets NoProcessError: try again on the next turn.
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        const answered = await call('bench_echo', { type: 'echo', value: repetition }).then(
          () => true,
          (error: unknown) => {
            if (error instanceof NoProcessError) return false;
            throw error;
          },
        );
        if (answered) break;
      }
      restarts.push(millisSince(start));
    }
    const restartCase = report.add({ id: 'restart', unit: 'ms crash to answer', ...summarize(restarts) });
    report.ratio('restart / spawn genserver', restartCase, ourCase, '<= 1.2');
  } finally {
    await supervisor.stop();
  }

  for (const count of config.memoryCounts) {
    // Three rounds, alternating: one round alone read 0.34 MiB a thread once, when the
    // heap of the cases before was collected while the threads started.
    const bare: number[] = [];
    const ours: number[] = [];
    for (let round = 0; round < 3; round++) {
      bare.push(
        await rssPer(count, async () => {
          const workers = await inBatches(count, async () => (await bareWorkerSpawn()).worker);
          return () => Promise.all(workers.map((worker) => worker.terminate())).then(() => undefined);
        }),
      );
      ours.push(
        await rssPer(count, async () => {
          const servers = await inBatches(count, () => startGenServer<typeof EchoServer>(fixture('echo-server'), undefined, { startTimeoutMs: 60_000 }));
          return () => Promise.all(servers.map((server) => server.kill())).then(() => undefined);
        }),
      );
    }
    const bareMemory = report.add({ id: `memory.worker x${count}`, unit: 'MiB RSS per thread', ...summarize(bare) });
    const ourMemory = report.add({ id: `memory.genserver x${count}`, unit: 'MiB RSS per process', ...summarize(ours) });
    report.ratio(`memory x${count} genserver / worker`, ourMemory, bareMemory, '<= 1.3');
  }
}

/** Starts `count` threads a few at a time: a hundred at once would only measure the CPU queue. */
async function inBatches<T>(count: number, start: () => Promise<T>, batch = 4): Promise<T[]> {
  const started: T[] = [];
  while (started.length < count) {
    started.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - started.length) }, start))));
  }
  return started;
}

/** RSS added per thread while `count` idle threads run, in MiB. */
async function rssPer(count: number, spawn: () => Promise<() => Promise<void>>): Promise<number> {
  // Settled before as after: threads just ended give their memory back a moment later.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const before = process.memoryUsage().rss;
  const stop = await spawn();
  // Let the new threads settle into idleness before reading.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = process.memoryUsage().rss;
  await stop();
  return (after - before) / count / 2 ** 20;
}
