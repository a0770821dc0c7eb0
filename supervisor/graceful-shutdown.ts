/**
 * Stopping everything in order, as OTP stops its applications: the roots the application
 * started (supervision trees, task supervisors, GenServers no supervisor runs) in reverse
 * start order, each within its own shutdown times, all within one deadline; then every
 * thread's spans are flushed and exported. On a signal, then the process ends.
 */
import { constants } from 'node:os';
import { diag } from '@opentelemetry/api';
import { describeValue } from '../errors';
import { makePid } from '../protocol/pid';
import { startTimeout, validateTimeout } from '../protocol/timeouts';
import { flushAppTelemetry } from '../runtime/app-telemetry';
import { installedClusterLink } from '../runtime/cluster-link';
import { DEFAULT_STOP_TIMEOUT_MS, kill, stop } from '../runtime/client';
import { processTable } from '../runtime/process-table';
import { currentTelemetry } from '../runtime/telemetry';
import { isSupervised, rootSupervisors } from './supervisor';
import { runningTaskSupervisors } from './tasks/task-supervisor';

/**
 * How long stopping may take by default: under the 30 s a container orchestrator
 * (Kubernetes' default grace period) waits before it kills, with room for the export.
 */
export const DEFAULT_STOP_ALL_TIMEOUT_MS = 20_000;
/** How long the export at the end may take by default. */
const DEFAULT_FLUSH_TIMEOUT_MS = 5000;

/** Options of {@link stopAll}. */
export interface StopAllOptions {
  /**
   * How long stopping may take, ms; past it, what still runs is killed (no `terminate`)
   * and running tasks are cancelled. Default 20,000. Each root gets its own shutdown time
   * within it (a GenServer 5000 ms, a child its spec's `shutdown`, a task pool 5000 ms).
   */
  readonly timeoutMs?: number;
  /** How long the final flush and export may take, ms. Default 5000. */
  readonly flushTimeoutMs?: number;
}

/** Something the application started itself, and how to stop it. */
interface Root {
  /** Its place in the start order (its pid number). */
  readonly order: number;
  readonly label: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** What runs now that no supervisor runs: the roots, newest first. */
function roots(): Root[] {
  const found: Root[] = [];
  for (const supervisor of rootSupervisors()) {
    found.push({ order: supervisor.pid.pid, label: `supervisor ${supervisor.name}`, stop: () => supervisor.stop('shutdown'), kill: () => supervisor.kill() });
  }
  for (const [pool, order] of runningTaskSupervisors()) {
    found.push({ order, label: `task supervisor ${pool.name}`, stop: () => pool.shutdown(), kill: () => pool.shutdown(0) });
  }
  for (const record of processTable.registry.live()) {
    // A supervised process is stopped by its supervisor; one linked to an older process
    // goes with it, as a linked child goes with its parent in OTP (or, trapping exits, is
    // a root of its own once the parent is gone).
    if (isSupervised(record.pid) || [...record.links].some((linked) => linked < record.pid)) continue;
    found.push({
      order: record.pid,
      label: `${record.label} <${record.pid}>`,
      stop: () => stop(makePid(record.pid), 'shutdown', DEFAULT_STOP_TIMEOUT_MS),
      kill: () => kill(makePid(record.pid)),
    });
  }
  return found.sort((a, b) => b.order - a.order);
}

/** Resolves when `work` settles or `timeoutMs` passes, whichever is first; never rejects. */
async function within(work: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise<void>((resolve) => (timer = startTimeout(timeoutMs, resolve)))]);
  if (timer) clearTimeout(timer);
}

function validateStopOptions(options: StopAllOptions): { timeoutMs: number; flushTimeoutMs: number } {
  if (options === null || typeof options !== 'object') throw new TypeError(`worker-otp stopAll: options must be an object; got ${describeValue(options)}`);
  return {
    timeoutMs: validateTimeout(options.timeoutMs ?? DEFAULT_STOP_ALL_TIMEOUT_MS, 'options.timeoutMs'),
    flushTimeoutMs: validateTimeout(options.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS, 'options.flushTimeoutMs'),
  };
}

/** The stop under way, if any. */
let current: Promise<void> | undefined;

/**
 * Stops everything worker-otp runs in this process, as OTP stops a node: its cluster node
 * first, if it is one (leaving cleanly: see `ClusterNode.stop`), then the supervision
 * trees, task supervisors and GenServers the application started (or its processes did,
 * when no supervisor or linked parent owns them), newest first, each with
 * reason `shutdown` (so `terminate` runs) within its own shutdown time; past `timeoutMs`
 * what is left is killed. Then every thread's spans are flushed and exported (worker-otp's
 * own telemetry, or the application's SDK in library mode, which stays up). Never
 * rejects; the process goes on (see {@link stopOnSignals} to end it on a signal). A call
 * while a stop runs joins that stop.
 */
export function stopAll(options: StopAllOptions = {}): Promise<void> {
  const limits = validateStopOptions(options);
  // One stop at a time: a second call (a signal during a stop of the application's own) joins it.
  current ??= stopEverything(limits).finally(() => (current = undefined));
  return current;
}

async function stopEverything({ timeoutMs, flushTimeoutMs }: { timeoutMs: number; flushTimeoutMs: number }): Promise<void> {
  let late = false;
  let stopped = false;
  // Each root is asked once; roots started meanwhile are stopped too, newest first.
  const asked = new Set<number>();
  const nextRoot = () => roots().find((root) => !asked.has(root.order));
  const stopping = (async () => {
    // A cluster node first: it stops taking pool tasks (a durable one it runs finishes, or
    // goes back to its queue) and frees its names, before the threads it used stop.
    await installedClusterLink()?.leave().catch((error: unknown) => diag.error('worker-otp stopAll: leaving the cluster failed', error));
    for (let next = nextRoot(); next !== undefined && !late; next = nextRoot()) {
      asked.add(next.order);
      await next.stop().catch((error: unknown) => diag.error(`worker-otp stopAll: stopping ${next!.label} failed`, error));
    }
    stopped = true;
  })();
  await within(stopping, timeoutMs);
  if (!stopped) {
    late = true;
    diag.warn(`worker-otp stopAll: not everything stopped within ${timeoutMs} ms; killing what is left`);
    await Promise.all(roots().map((root) => root.kill().catch(() => undefined)));
  }
  const telemetry = currentTelemetry();
  await within(telemetry ? telemetry.forceFlush() : flushAppTelemetry(flushTimeoutMs), flushTimeoutMs);
}

let signalHandlersInstalled = false;

/** Options of {@link stopOnSignals}. */
export interface StopOnSignalsOptions extends StopAllOptions {
  /** The signals to stop on. Default `SIGTERM` and `SIGINT`. */
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * On SIGTERM or SIGINT (or `signals`), stops everything with {@link stopAll} (in order,
 * spans exported), then ends the process as the signal would have: the signal is raised
 * again with this handler removed, so the exit status is the conventional one (128 + the
 * signal's number, e.g. 143 for SIGTERM). If the application listens for the signal too,
 * its handlers run as before and the process is left to them (Node does not exit on a
 * signal someone listens for). A second signal while stopping exits at once with that
 * status. Opt-in: a library that listened for signals by itself would take Node's default
 * exit away from every application. Returns a function that removes the handlers; until
 * then, a second call throws.
 */
export function stopOnSignals(options: StopOnSignalsOptions = {}): () => void {
  const { signals = ['SIGTERM', 'SIGINT'], ...stopOptions } = options ?? {};
  if (!Array.isArray(signals) || signals.some((signal) => !(signal in constants.signals))) {
    throw new TypeError(`worker-otp stopOnSignals: options.signals must be an array of signal names such as 'SIGTERM'; got ${describeValue(signals)}`);
  }
  validateStopOptions(stopOptions);
  if (signalHandlersInstalled) throw new TypeError('worker-otp stopOnSignals: already listening; call the function it returned to remove those handlers first');
  signalHandlersInstalled = true;
  let stopping = false;
  const remove = () => {
    signalHandlersInstalled = false;
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    const status = 128 + constants.signals[signal];
    if (stopping) process.exit(status);
    stopping = true;
    diag.info(`worker-otp: ${signal} received; stopping everything (a second ${signal} exits at once)`);
    void stopAll(stopOptions).then(() => {
      remove();
      // The application's own handlers decide what happens next; without any, the default.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  for (const signal of signals) process.on(signal, onSignal);
  return remove;
}
