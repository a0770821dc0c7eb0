/**
 * A seeded, bounded chaos run: a supervision tree of GenServers and a TaskSupervisor under
 * steady load from concurrent callers, with calls parked among them, while a fault
 * injector throws in callbacks (errors and undefined), calls process.exit in workers,
 * exhausts a worker's heap and kills processes from outside; then starts processes while
 * the main thread stalls, shuts a pool down on hung tasks, and stops a busy application
 * of its own with SIGTERM. Returns what it did and the invariants' evidence; the test
 * and the soak script check it.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { trace } from '@opentelemetry/api';
import {
  ProcessExitError,
  StartError,
  Supervisor,
  TaskSupervisor,
  WorkerOtpError,
  call,
  kill,
  monitor,
  startGenServer,
  startTelemetry,
  taskRef,
  whereis,
  workerChild,
} from '../../index';
import type ChaosServer from '../fixtures/chaos-server';
import type * as Tasks from '../fixtures/tasks';
import { fixturePath } from './fixtures';
import { OtlpReceiver } from './otlp-receiver';
import { runSignalApp } from './signal-app';

export interface ChaosOptions {
  readonly seed: number;
  /** Faults to inject into GenServers (each one crashes a process: one restart). */
  readonly processFaults: number;
  /** Faults to inject into tasks (a thread that exits). */
  readonly taskFaults: number;
  readonly callers: number;
  /** How long the load runs after the last fault, ms. */
  readonly tailMs: number;
  /** Progress lines; silent by default. */
  readonly log?: (line: string) => void;
}

export interface ChaosReport {
  readonly faults: Record<string, number>;
  readonly callsMade: number;
  readonly callsSettled: number;
  readonly callsOk: number;
  /** Rejections that were not a worker-otp error or the task's own error. */
  readonly untypedRejections: string[];
  readonly restartsObserved: number;
  readonly spansExported: number;
  /** Spans whose parent never arrived. */
  readonly orphanSpans: string[];
  readonly unhandledRejections: unknown[];
  readonly supervisorExit: string;
  /** Starts that resolved with a process that was not there (must be none). */
  readonly deadStarts: number;
  /** Pool shutdowns on hung tasks that did not end by their deadline (must be none). */
  readonly unendedShutdowns: number;
  /** What went wrong in the SIGTERM round (must be nothing). */
  readonly signalRoundFailures: string[];
  readonly durationMs: number;
}

/** mulberry32: a small seeded PRNG, so a run can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORKERS = ['chaos_a', 'chaos_b', 'chaos_c'];
/** The faults that crash a supervised process: each costs one restart. */
export const PROCESS_FAULTS = ['throw', 'throw_undefined', 'exit', 'allocate', 'kill'] as const;

/** How many faults of a report crashed a supervised process. */
export function processFaultsOf(report: ChaosReport): number {
  return PROCESS_FAULTS.reduce((total, kind) => total + (report.faults[kind] ?? 0), 0);
}
/** Shared by the load's calls and the parked ones: a parked call heads the deadline lane they all join. */
const CALL_TIMEOUT_MS = 10_000;

/** Starts `count` GenServers at once while the main thread stalls past their start timeout; counts starts that resolved dead. */
async function startsUnderStall(count: number, settle: (outcome: Promise<unknown>) => Promise<void>): Promise<number> {
  const starts = Array.from({ length: count }, () => startGenServer<typeof ChaosServer>(fixturePath('chaos-server'), undefined, { startTimeoutMs: 150 }));
  // In the check phase: the next turn of the loop runs the expired start timers before it reads the ports.
  setImmediate(() => {
    const until = performance.now() + 400;
    while (performance.now() < until);
  });
  let dead = 0;
  for (const outcome of await Promise.allSettled(starts)) {
    if (outcome.status === 'rejected') {
      if (!(outcome.reason instanceof StartError)) throw outcome.reason;
      continue;
    }
    const server = outcome.value;
    await settle(server.call({ type: 'work', value: 1 }).catch((error: unknown) => {
      dead += 1;
      throw error;
    }));
    await server.kill();
  }
  return dead;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const random = prng(options.seed);
  const log = options.log ?? (() => {});
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const receiver = await OtlpReceiver.start();
  const telemetry = startTelemetry({ serviceName: 'chaos', endpoint: receiver.url, env: {}, maxQueueSize: 100_000 });
  const started = performance.now();
  const tracer = trace.getTracer('chaos');
  const add = taskRef<typeof Tasks, 'add'>(fixturePath('tasks'), 'add');
  const exitThread = taskRef<typeof Tasks, 'exitThread'>(fixturePath('tasks'), 'exitThread');
  const hang = taskRef<typeof Tasks, 'hang'>(fixturePath('tasks'), 'hang');
  const spin = taskRef<typeof Tasks, 'spin'>(fixturePath('tasks'), 'spin');
  let deadStarts = 0;
  let unendedShutdowns = 0;
  const signalRoundFailures: string[] = [];
  const faults: Record<string, number> = {};
  let made = 0;
  let settled = 0;
  let ok = 0;
  const untyped: string[] = [];
  const supervisor = await Supervisor.start(
    WORKERS.map((name) =>
      workerChild<typeof ChaosServer>(name, fixturePath('chaos-server'), undefined, {
        name,
        resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 },
        callTimeoutMs: 10_000,
      }),
    ),
    { name: 'chaos_sup', maxRestarts: options.processFaults + 5, maxSeconds: 600 },
  );
  const tasks = TaskSupervisor.start({ name: 'chaos_tasks', minThreads: 2, maxThreads: 2 });
  let loading = true;
  try {
    const settle = (outcome: Promise<unknown>) => {
      made += 1;
      return outcome.then(
        () => {
          ok += 1;
        },
        (error: unknown) => {
          // During a restart a name has no process: NoProcessError is the typed answer.
          if (!(error instanceof WorkerOtpError)) untyped.push(`${(error as Error)?.name}: ${(error as Error)?.message}`);
        },
      ).finally(() => {
        settled += 1;
      });
    };

    const caller = async (index: number) => {
      let round = 0;
      while (loading) {
        round += 1;
        await tracer.startActiveSpan('chaos.request', async (span) => {
          const target = WORKERS[(index + round) % WORKERS.length]!;
          await settle(call(target, { type: 'work', value: round }, { timeoutMs: CALL_TIMEOUT_MS }));
          await settle(tasks.async(add, index, round).await(10_000));
          span.end();
        });
      }
    };
    // Parks a call at a time on some worker: answered at a release, or failed by a crash.
    const parker = async () => {
      for (let round = 0; loading; round++) {
        faults['parked call'] = (faults['parked call'] ?? 0) + 1;
        await settle(call(WORKERS[round % WORKERS.length]!, { type: 'park' }, { timeoutMs: CALL_TIMEOUT_MS }));
      }
    };
    const load = [...Array.from({ length: options.callers }, (_, index) => caller(index)), parker()];

    /** Resolves once the supervisor has handled every exit so far: its restarts are done. */
    const restarted = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await supervisor.settled();
    };

    for (let injected = 0; injected < options.processFaults; injected++) {
      const target = WORKERS[Math.floor(random() * WORKERS.length)]!;
      // Every kind once, then at random.
      const fault = PROCESS_FAULTS[injected < PROCESS_FAULTS.length ? injected : Math.floor(random() * PROCESS_FAULTS.length)]!;
      log(`fault ${injected + 1}: ${fault} on ${target} (${made} calls so far)`);
      if (fault === 'kill') {
        await kill(whereis(target)!);
      } else {
        const outcome = await call(target, { type: fault }, { timeoutMs: 20_000 }).then(
          () => 'answered',
          (error: unknown) => error,
        );
        if (!(outcome instanceof ProcessExitError)) throw new Error(`fault ${fault} on ${target} did not crash it: ${String(outcome)}`);
        await new Promise<void>((resolve) => {
          const pid = whereis(target);
          if (pid === undefined) resolve();
          else monitor(pid, () => resolve());
        });
      }
      faults[fault] = (faults[fault] ?? 0) + 1;
      await restarted();
    }
    for (let injected = 0; injected < options.taskFaults; injected++) {
      await tasks.async(exitThread).await(10_000).catch(() => undefined);
      faults['task exit'] = (faults['task exit'] ?? 0) + 1;
    }
    log('task faults done');

    deadStarts = await startsUnderStall(12, settle);
    faults['starts under a stalled main thread'] = 1;

    const hungPool = TaskSupervisor.start({ name: 'chaos_hung', maxThreads: 2 });
    const hung = [hungPool.async(hang), hungPool.async(spin, 1e9), hungPool.async(add, 1, 2)];
    const shutdownBegan = performance.now();
    await hungPool.shutdown(200);
    if (performance.now() - shutdownBegan > 5000) unendedShutdowns += 1;
    for (const task of hung) await settle(task.await(CALL_TIMEOUT_MS));
    faults['pool shutdown on hung tasks'] = 1;

    await signalRound(signalRoundFailures);
    faults['SIGTERM to a busy app'] = 1;
    log('stall, hung shutdown and signal rounds done');

    await new Promise((resolve) => setTimeout(resolve, options.tailMs));
    loading = false;
    await Promise.all(WORKERS.map((worker) => call(worker, { type: 'release' }).catch(() => undefined)));
    await Promise.all(load);
    log(`load stopped: ${made} made, ${settled} settled`);

    await supervisor.stop();
    await tasks.shutdown();
    await telemetry.shutdown();
    log('shut down');
  } finally {
    // On the way out after a failure too: nothing of the run may outlive it.
    loading = false;
    if (supervisor.alive) await supervisor.kill();
    await tasks.shutdown();
    await telemetry.shutdown();
  }
  const spans = receiver.spans;
  const ids = new Set(spans.map((span) => span.spanId));
  const orphans = spans.filter((span) => span.parentSpanId !== '' && !ids.has(span.parentSpanId)).map((span) => span.name);
  await receiver.close();
  process.off('unhandledRejection', onUnhandled);
  return {
    faults,
    callsMade: made,
    callsSettled: settled,
    callsOk: ok,
    untypedRejections: untyped,
    restartsObserved: spans.filter((span) => span.name === 'chaos_sup.restart_child').length,
    spansExported: spans.length,
    orphanSpans: orphans,
    unhandledRejections: unhandled,
    supervisorExit: (await supervisor.exited()).type,
    deadStarts,
    unendedShutdowns,
    signalRoundFailures,
    durationMs: performance.now() - started,
  };
}

/** A busy application of its own receives SIGTERM: it must stop in order, export what it recorded, and die of the signal. */
async function signalRound(failures: string[]): Promise<void> {
  const receiver = await OtlpReceiver.start();
  try {
    const run = await runSignalApp({ report: join(tmpdir(), `worker-otp-chaos-signal-${process.pid}.txt`), endpoint: receiver.url });
    if (run.signal !== 'SIGTERM') failures.push(`ended with ${run.code ?? run.signal}, not SIGTERM`);
    if (run.terminated.join(',') !== 'standalone shutdown,tree_worker shutdown') failures.push(`terminate ran as [${run.terminated.join(', ')}]`);
    const served = receiver.named('edge.handle_call').length + receiver.named('tree_worker.handle_call').length;
    if (run.counts === undefined || served < run.counts.calls) failures.push(`${served} handle_call spans exported for ${run.counts?.calls} calls`);
  } finally {
    await receiver.close();
  }
}
