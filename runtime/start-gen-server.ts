import { basename, extname, join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { NameAlreadyRegisteredError, StartError, describeExitReason, describeValue, isDataCloneError, type ExitReason } from '../errors';
import { injectTraceCarrier } from '../propagation/trace-carrier';
import { envelope, type ProcessStartData } from '../protocol/envelopes';
import { MailboxBound } from '../protocol/mailbox-counter';
import { GaugeReader, processGaugesBuffer } from '../protocol/process-gauges';
import { instrumentationOn } from './instrumentation';
import type { GenServerDefinition, InitArgOf } from '../protocol/gen-server-definition';
import { assertNotInWorkerOtpThread } from '../protocol/thread-kind';
import { startTimeout, validateTimeout } from '../protocol/timeouts';
import { DEFAULT_CALL_TIMEOUT_MS } from './client';
import { joinAppTelemetry } from './app-telemetry';
import { GenServer } from './gen-server';
import type { ProcessRecord } from './process-record';
import { moduleExists, toFilePath, type ModulePath } from '../protocol/module-path';
import { processTable } from './process-table';
import { threadProcessOptions } from './thread-options';

/** How long `start` waits for `init` by default. */
export const DEFAULT_START_TIMEOUT_MS = 5000;

const HOST_PATH = join(__dirname, '..', 'workers', 'gen-server-thread.js');

/** Options of {@link startGenServer}. */
export interface StartOptions {
  /** Registers the process under this name; calls may then name it instead of its pid. */
  readonly name?: string;
  /**
   * How long the process may take, from its thread running, to load its module and
   * complete `init`; past it the start fails with `ERR_START_TIMEOUT` and the thread is
   * ended. Not counted: Node's own thread bootstrap (which many concurrent starts slow
   * down) and the wait for `initAfter`. Default 5000 ms.
   */
  readonly startTimeoutMs?: number;
  /** Default timeout of calls through the returned client. Default 5000 ms. */
  readonly callTimeoutMs?: number;
  /** Heap and stack limits of the process's thread; exceeding them exits with `out_of_memory`. */
  readonly resourceLimits?: ResourceLimits;
  /**
   * The most messages (calls, casts, sends) that may wait for the process; past it, a
   * call rejects and a cast or send from the main thread throws, with `MailboxFullError`,
   * and nothing is sent: back-pressure, for a process fed faster than it serves. Casts
   * and sends from other processes are not refused (their senders have moved on) but
   * count. Costs a shared store per message in the process. Default: no bound (OTP's).
   */
  readonly maxMailbox?: number;
  /** Records the runtime's own spans for this process (calls, callbacks, init, terminate). Default true. */
  readonly autoSpans?: boolean;
  /**
   * Starts the thread and loads the module now, but runs `init` only once this settles:
   * a replacement boots while the process it replaces is still ending, and touches what
   * that one held only after it is gone. Supervisors pass the old child's exit here when
   * a child spec sets `startEarly` (as `workerChild` does). The start waits for it as
   * long as it takes; the start timeout runs from when it settled.
   */
  readonly initAfter?: Promise<unknown>;
}

function validateStartOptions(options: StartOptions): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`worker-otp start: options must be an object; got ${describeValue(options)}`);
  const { name } = options;
  if (name !== undefined && (typeof name !== 'string' || name.length === 0 || name.startsWith('<'))) {
    throw new TypeError(`worker-otp start: options.name must be a non-empty string not starting with '<'; got ${describeValue(name)}`);
  }
  if (options.startTimeoutMs !== undefined) validateTimeout(options.startTimeoutMs, 'options.startTimeoutMs');
  if (options.callTimeoutMs !== undefined) validateTimeout(options.callTimeoutMs, 'options.callTimeoutMs');
  const { maxMailbox } = options;
  if (maxMailbox !== undefined && maxMailbox !== Infinity && (!Number.isInteger(maxMailbox) || maxMailbox < 1)) {
    throw new RangeError(`worker-otp start: options.maxMailbox must be an integer >= 1, or Infinity; got ${describeValue(maxMailbox)}`);
  }
  if (options.autoSpans !== undefined && typeof options.autoSpans !== 'boolean') {
    throw new TypeError(`worker-otp start: options.autoSpans must be a boolean; got ${describeValue(options.autoSpans)}`);
  }
  if (options.initAfter !== undefined && typeof (options.initAfter as { then?: unknown } | null)?.then !== 'function') {
    throw new TypeError(`worker-otp start: options.initAfter must be a promise; got ${describeValue(options.initAfter)}`);
  }
}

/**
 * Starts a GenServer in its own worker thread and resolves once its `init` has completed
 * (OTP's `GenServer.start_link/3`, without the link: use a supervisor or `monitor`).
 *
 * `modulePath` names a JavaScript module (CommonJS or ESM) whose default export is a
 * `defineGenServer(...)` definition: an absolute path, a `file:` URL (string or `URL`), or
 * a path relative to the working directory (see {@link ModulePath}). A TypeScript module
 * works when the application runs under a TypeScript loader, which the thread inherits.
 * Type the client by the definition: `startGenServer<typeof import('./cache').default>(...)`.
 *
 * Rejects with a `StartError`: `ERR_MODULE_NOT_FOUND`, `ERR_MODULE_LOAD`,
 * `ERR_NOT_A_GENSERVER`, `ERR_INIT_FAILED` (init threw, returned `{ stop }` or an invalid
 * value; `reason` says which), `ERR_START_TIMEOUT`, `ERR_PAYLOAD_NOT_CLONEABLE`; or
 * `NameAlreadyRegisteredError`. The thread is gone whenever start rejects.
 */
export async function startGenServer<D extends GenServerDefinition = GenServerDefinition>(
  modulePath: ModulePath,
  initArg: InitArgOf<D>,
  options: StartOptions = {},
): Promise<GenServer<D>> {
  assertNotInWorkerOtpThread('startGenServer');
  validateStartOptions(options);
  joinAppTelemetry();
  const absolutePath = toFilePath(modulePath, 'startGenServer(modulePath)');
  if (!moduleExists(absolutePath)) throw StartError.moduleNotFound(absolutePath);
  const { initAfter } = options;
  const record = spawnProcess(absolutePath, initArg, options);
  const { worker } = record;
  const initMayRun = initAfter
    ? initAfter.then(
        () => sendGo(record),
        () => sendGo(record),
      )
    : undefined;
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const startClock = () => {
      if (record.onReady === undefined || record.exitReason !== undefined) return;
      timer = startTimeout(startTimeoutMs, () => {
        // A main thread busy past the deadline runs this timer before the `ready` already
        // waiting in the port: only a start still unanswered once that is read times out.
        setImmediate(() => {
          if (record.onReady === undefined || record.exitReason !== undefined) return;
          timedOut = true;
          processTable.markKilled(record);
          void worker.terminate();
        });
      });
    };
    record.onReady = () => {
      record.onReady = undefined;
      if (timer) clearTimeout(timer);
      // A ready that comes after the process was killed or said it exits is not a start.
      if (record.exitReason === undefined) resolve();
    };
    worker.once('online', () => void (initMayRun ? initMayRun.then(startClock) : startClock()));
    // A failed start rejects once the thread is gone and its name is free again; after a
    // start resolved, this does nothing.
    void record.exited.then((reason) => {
      if (timer) clearTimeout(timer);
      reject(timedOut ? StartError.timeout(record.label, startTimeoutMs) : startFailure(record, reason));
    });
  });
  return new GenServer<D>(record, options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
}

/** Registers the process and creates its thread (synchronously: the name is checked and taken at once). */
function spawnProcess(absolutePath: string, initArg: unknown, options: StartOptions): ProcessRecord {
  const { name } = options;
  if (name !== undefined) {
    const holder = processTable.registry.whereis(name);
    if (holder !== undefined) throw new NameAlreadyRegisteredError(name, holder);
  }
  const pid = processTable.registry.allocatePid();
  const defaultLabel = basename(absolutePath, extname(absolutePath));
  // Metrics and the live view read a process's mailbox depth and gauges: made when either is on.
  const instrumented = instrumentationOn();
  const bounded = options.maxMailbox !== undefined && options.maxMailbox !== Infinity;
  const mailbox = bounded || instrumented ? new MailboxBound(bounded ? options.maxMailbox! : Infinity) : undefined;
  const gauges = instrumented ? processGaugesBuffer() : undefined;
  const startData: ProcessStartData = {
    modulePath: absolutePath,
    initArg,
    pid,
    name,
    defaultLabel,
    autoSpans: options.autoSpans ?? true,
    trace: injectTraceCarrier(),
    ...(options.initAfter ? { initAfterGo: true } : {}),
    ...(mailbox ? { mailboxTaken: mailbox.buffer } : {}),
    ...(gauges ? { gauges } : {}),
  };
  let worker: Worker;
  try {
    worker = new Worker(HOST_PATH, {
      ...threadProcessOptions(),
      workerData: startData,
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    });
  } catch (error) {
    throw isDataCloneError(error) ? StartError.initArgNotCloneable(error) : error;
  }
  return processTable.add({
    pid,
    name,
    worker,
    autoSpans: startData.autoSpans,
    label: name ?? defaultLabel,
    mailbox,
    gauges: gauges && new GaugeReader(gauges),
    modulePath: absolutePath,
  });
}

function sendGo(record: ProcessRecord): void {
  if (record.exitReason === undefined) processTable.deliver(record, envelope.go(), 'go');
}

function startFailure(record: ProcessRecord, reason: ExitReason): Error {
  if (reason.type === 'error' && reason.error instanceof StartError) return reason.error;
  return StartError.initFailed({ pid: record.pid, name: record.label }, reason, describeExitReason(reason), reason.type === 'error' ? reason.error : undefined);
}
