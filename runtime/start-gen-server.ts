import { basename, extname, join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { NameAlreadyRegisteredError, StartError, describeExitReason, describeValue, isDataCloneError, type ExitReason } from '../errors';
import { injectTraceCarrier } from '../propagation/trace-carrier';
import { envelope, type ProcessStartData } from '../protocol/envelopes';
import type { GenServerDefinition, InitArgOf } from '../protocol/gen-server-definition';
import { startTimeout, validateTimeout } from '../protocol/timeouts';
import { DEFAULT_CALL_TIMEOUT_MS } from './client';
import { joinAppTelemetry } from './app-telemetry';
import { GenServer } from './gen-server';
import type { ProcessRecord } from './process-record';
import { moduleExists, toFilePath, type ModulePath } from './module-path';
import { processTable } from './process-table';
import { threadProcessOptions } from './thread-options';

/** How long `start` waits for `init` by default. */
export const DEFAULT_START_TIMEOUT_MS = 5000;

const HOST_PATH = join(__dirname, '..', 'workers', 'gen-server-thread.js');

/** Options of {@link startGenServer}. */
export interface StartOptions {
  /** Registers the process under this name; calls may then name it instead of its pid. */
  readonly name?: string;
  /** How long `init` may take before the start fails and the thread is ended. Default 5000 ms. */
  readonly startTimeoutMs?: number;
  /** Default timeout of calls through the returned client. Default 5000 ms. */
  readonly callTimeoutMs?: number;
  /** Heap and stack limits of the process's thread; exceeding them exits with `out_of_memory`. */
  readonly resourceLimits?: ResourceLimits;
  /** Records the runtime's own spans for this process (calls, callbacks, init, terminate). Default true. */
  readonly autoSpans?: boolean;
  /**
   * Starts the thread and loads the module now, but runs `init` only once this settles:
   * a replacement boots while the process it replaces is still ending, and touches what
   * that one held only after it is gone. Supervisors pass the old child's exit here when
   * a child spec sets `startEarly` (as `workerChild` does).
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
  validateStartOptions(options);
  joinAppTelemetry();
  const absolutePath = toFilePath(modulePath, 'startGenServer(modulePath)');
  if (!moduleExists(absolutePath)) throw StartError.moduleNotFound(absolutePath);
  const { name, initAfter } = options;
  if (name !== undefined) {
    const holder = processTable.registry.whereis(name);
    if (holder !== undefined) throw new NameAlreadyRegisteredError(name, holder);
  }
  const pid = processTable.registry.allocatePid();
  const defaultLabel = basename(absolutePath, extname(absolutePath));
  const startData: ProcessStartData = {
    modulePath: absolutePath,
    initArg,
    pid,
    name,
    defaultLabel,
    autoSpans: options.autoSpans ?? true,
    trace: injectTraceCarrier(),
    ...(initAfter ? { initAfterGo: true } : {}),
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
  const record = processTable.add(pid, name, worker, startData.autoSpans, name ?? defaultLabel);
  void initAfter?.then(
    () => sendGo(record),
    () => sendGo(record),
  );
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    let timedOut = false;
    const timer = startTimeout(startTimeoutMs, () => {
      timedOut = true;
      processTable.markKilled(record);
      void worker.terminate();
    });
    record.onReady = () => {
      if (timer) clearTimeout(timer);
      record.onReady = undefined;
      resolve();
    };
    // A failed start rejects once the thread is gone and its name is free again.
    void record.exited.then((reason) => {
      if (record.onReady === undefined) return; // started; a later exit is not a start failure
      if (timer) clearTimeout(timer);
      reject(timedOut ? StartError.timeout(record.label, startTimeoutMs) : startFailure(record, reason));
    });
  });
  return new GenServer<D>(record, options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
}

function sendGo(record: ProcessRecord): void {
  if (record.exitReason === undefined) processTable.deliver(record, envelope.go(), 'go');
}

function startFailure(record: ProcessRecord, reason: ExitReason): Error {
  if (reason.type === 'error' && reason.error instanceof StartError) return reason.error;
  return StartError.initFailed({ pid: record.pid, name: record.label }, reason, describeExitReason(reason), reason.type === 'error' ? reason.error : undefined);
}
