import { existsSync } from 'node:fs';
import { basename, extname, join, resolve as resolvePath } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { context, type Span, type SpanContext } from '@opentelemetry/api';
import { ATTR_MESSAGE_KIND, ATTR_PID, ATTR_PROCESS_NAME } from '../propagation/attributes';
import { describeValue } from '../propagation/error-wire';
import { CallTimeoutError, NameAlreadyRegisteredError, StartError, isDataCloneError } from '../propagation/errors';
import { describeExitReason, exitReasonFrom, toWireExitReason, type ExitReason, type StopReason } from '../propagation/exit-reason';
import type {
  CallOf,
  CastOf,
  GenServerDefinition,
  InfoOf,
  InitArgOf,
  ReplyOf,
} from '../propagation/gen-server-definition';
import type { ProcessStartData } from '../propagation/process-protocol';
import { OPERATION_NAMES, SPAN_KINDS, envelopeTrace, recordFailure, tracingOn } from '../propagation/span-helpers';
import { DeadlineQueue, type Deadline } from '../propagation/deadline-queue';
import { startTimeout, validateTimeout } from '../propagation/timeouts';
import { injectTraceCarrier } from '../propagation/trace-carrier';
import { runtimeTracer } from '../propagation/tracer';
import { formatPid, makePid, type Pid, type ProcessRef } from './pid';
import { MAIN_PID, processTable, type ExitListener, type PendingCall, type ProcessRecord } from './process-table';

/** OTP's default call timeout. */
export const DEFAULT_CALL_TIMEOUT_MS = 5000;
/** Every main-thread call's timeout, on one timer. */
const callDeadlines = new DeadlineQueue();
/** How long `start` waits for `init` by default. */
export const DEFAULT_START_TIMEOUT_MS = 5000;
/** How long `stop` lets `terminate` run by default, before killing the thread. */
export const DEFAULT_STOP_TIMEOUT_MS = 5000;

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
}

/** Options of a call. */
export interface CallOptions {
  /** How long to wait for the reply, in ms, or `Infinity`. Default: the client's `callTimeoutMs`, else 5000. */
  readonly timeoutMs?: number;
}

function clientSpan(record: ProcessRecord, kind: 'call' | 'cast' | 'info'): Span | undefined {
  if (!record.autoSpans || !tracingOn()) return undefined;
  return runtimeTracer().startSpan(
    `${record.label}.${OPERATION_NAMES[kind].send}`,
    {
      kind: SPAN_KINDS[kind].client,
      attributes: { [ATTR_PID]: record.pid, [ATTR_PROCESS_NAME]: record.label, [ATTR_MESSAGE_KIND]: kind },
    },
    context.active(),
  );
}

/**
 * Calls a process and waits for its reply (OTP's `GenServer.call/3`). The caller's trace
 * context goes with the request; a CLIENT span covers the wait.
 *
 * Rejects, never hangs: `CallTimeoutError` (the process goes on; its late reply is
 * dropped), `NoProcessError`, `ProcessExitError` (the process exited before replying;
 * carries the reason), `PayloadNotCloneableError` (nothing was sent).
 */
export function call<Reply = unknown>(target: ProcessRef, request: unknown, options?: CallOptions): Promise<Reply> {
  return callWithDefault<Reply>(target, request, options, DEFAULT_CALL_TIMEOUT_MS);
}

function isLiveRecord(target: ProcessRef | ProcessRecord): target is ProcessRecord {
  return typeof target === 'object' && target !== null && 'worker' in target && target.exitReason === undefined;
}

/** `target` is a process reference, or the record a GenServer client already holds. */
function callWithDefault<Reply>(target: ProcessRef | ProcessRecord, request: unknown, options: CallOptions | undefined, defaultTimeoutMs: number): Promise<Reply> {
  let record: ProcessRecord;
  let timeoutMs: number;
  try {
    timeoutMs = validateTimeout(options?.timeoutMs ?? defaultTimeoutMs, 'options.timeoutMs');
    // A client's own live record needs no lookup; an exiting one is refused as a lookup would.
    record = isLiveRecord(target) ? target : processTable.require(target as ProcessRef);
  } catch (error) {
    return Promise.reject(error);
  }
  const span = clientSpan(record, 'call');
  return new Promise<Reply>((resolve, reject) => {
    const call = new MainCall(record, span, resolve as (value: unknown) => void, reject);
    const ref = processTable.openCall(call);
    try {
      processTable.deliver(
        record,
        span || tracingOn() ? { type: 'call', pid: MAIN_PID, ref, message: request, ...envelopeTrace(span) } : { type: 'call', pid: MAIN_PID, ref, message: request },
        'call request',
      );
    } catch (error) {
      processTable.closeCall(ref);
      call.reject(error as Error);
      return;
    }
    call.deadline = callDeadlines.add(timeoutMs, () => {
      processTable.closeCall(ref);
      call.reject(new CallTimeoutError({ pid: record.pid, name: record.name }, timeoutMs));
    });
  });
}

/** A main-thread call waiting for its reply: settles the caller's promise and its span. */
class MainCall implements PendingCall {
  deadline: Deadline | undefined;

  constructor(
    readonly callee: ProcessRecord,
    private readonly span: Span | undefined,
    private readonly settleValue: (value: unknown) => void,
    private readonly settleError: (error: Error) => void,
  ) {}

  resolve(value: unknown): void {
    this.deadline?.cancel();
    this.span?.end();
    this.settleValue(value);
  }

  reject(error: Error): void {
    this.deadline?.cancel();
    if (this.span) {
      recordFailure(this.span, error);
      this.span.end();
    }
    this.settleError(error);
  }
}

function sendOneWay(kind: 'cast' | 'info', target: ProcessRef, message: unknown): void {
  const record = processTable.require(target);
  const span = clientSpan(record, kind);
  try {
    processTable.deliver(record, { type: kind, message, ...envelopeTrace(span) }, 'message');
  } catch (error) {
    if (span) recordFailure(span, error);
    throw error;
  } finally {
    span?.end();
  }
}

/**
 * Sends a request to a process's `handleCast` without waiting (OTP's `GenServer.cast/2`).
 * Throws `NoProcessError` or `PayloadNotCloneableError` at once; nothing is sent then.
 */
export function cast(target: ProcessRef, message: unknown): void {
  sendOneWay('cast', target, message);
}

/**
 * Sends a plain message to a process's `handleInfo` (OTP's `send/2`). Throws
 * `NoProcessError` or `PayloadNotCloneableError` at once; nothing is sent then.
 */
export function send(target: ProcessRef, message: unknown): void {
  sendOneWay('info', target, message);
}

/**
 * Asks a process to stop (OTP's `GenServer.stop/3`): it finishes the messages before
 * this one, runs `terminate(reason)`, and its thread ends. Past `timeoutMs` the thread
 * is killed (exit reason `killed`). Resolves once the thread is gone.
 */
export async function stop(target: ProcessRef, reason: StopReason = 'normal', timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
  validateTimeout(timeoutMs, 'timeoutMs');
  const record = processTable.require(target);
  const exitReason = exitReasonFrom(reason);
  processTable.deliver(record, { type: 'stop', reason: toWireExitReason(exitReason), ...envelopeTrace(undefined) }, 'stop reason');
  const timer = startTimeout(timeoutMs, () => {
    processTable.markKilled(record);
    void record.worker.terminate();
  });
  await record.exited;
  if (timer) clearTimeout(timer);
}

/** Ends a process's thread at once, without `terminate` (exit reason `killed`). Resolves once it is gone. */
export async function kill(target: ProcessRef): Promise<void> {
  const record = processTable.require(target);
  processTable.markKilled(record);
  await record.worker.terminate();
  await record.exited;
}

/** The pid registered under `name`, if a process holds it. */
export function whereis(name: string): Pid | undefined {
  const pid = processTable.whereis(name);
  return pid === undefined ? undefined : makePid(pid);
}

/**
 * Calls `listener` once, with the exit reason, when the process exits (OTP's
 * `Process.monitor/1`); a process already on its way out counts. Returns the demonitor.
 * Throws `NoProcessError` if the process's thread is gone.
 */
export function monitor(target: ProcessRef, listener: ExitListener): () => void {
  const record = processTable.require(target, { exiting: true });
  record.monitors.add(listener);
  return () => record.monitors.delete(listener);
}

/**
 * The main thread's handle on a GenServer, typed by its definition: `call`, `cast` and
 * `send` accept what its callbacks accept. Get one from {@link startGenServer}.
 */
export class GenServer<D extends GenServerDefinition = GenServerDefinition> {
  /** The process's pid: plain data, safe to put in messages. */
  readonly pid: Pid;
  /** The name it was registered under, if any. */
  readonly name: string | undefined;
  readonly #record: ProcessRecord;
  readonly #callTimeoutMs: number;

  /** @internal Use {@link startGenServer}. */
  constructor(record: ProcessRecord, callTimeoutMs: number) {
    this.#record = record;
    this.pid = makePid(record.pid);
    this.name = record.name;
    this.#callTimeoutMs = callTimeoutMs;
  }

  /** The prefix of this process's spans (`<label>.call`, ...). */
  get label(): string {
    return this.#record.label;
  }

  /** The process's thread id (`thread.id` on its spans), also after it exited. */
  get threadId(): number {
    return this.#record.threadId;
  }

  /** Whether the process is running (started and not exiting). */
  get alive(): boolean {
    return this.#record.exitReason === undefined;
  }

  /** Why it exited, once it has (or is exiting). */
  get exitReason(): ExitReason | undefined {
    return this.#record.exitReason;
  }

  /**
   * The last span the process's thread recorded (a failed one if its last batch had one):
   * after a crash, the span of the callback that crashed. Supervisors link restarts to it.
   */
  get lastSpanContext(): SpanContext | undefined {
    return this.#record.lastSpan;
  }

  /** Resolves with the exit reason once the thread is gone. */
  exited(): Promise<ExitReason> {
    return this.#record.exited;
  }

  /**
   * Resolves with the exit reason as soon as the process has said it exits (or was
   * killed): it handles no more messages and its name is free, while its thread may still
   * be ending. Supervisors start a replacement then (see `exited`).
   */
  exiting(): Promise<ExitReason> {
    return this.#record.exiting;
  }

  /** See {@link call}. */
  call(request: CallOf<D>, options?: CallOptions): Promise<ReplyOf<D>> {
    return callWithDefault<ReplyOf<D>>(this.#record, request, options, this.#callTimeoutMs);
  }

  /** See {@link cast}. */
  cast(message: CastOf<D>): void {
    cast(this.pid, message);
  }

  /** See {@link send}. */
  send(message: InfoOf<D>): void {
    send(this.pid, message);
  }

  /** See {@link stop}. Resolves at once if the process has already exited. */
  async stop(reason: StopReason = 'normal', timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
    if (!this.alive) {
      await this.#record.exited;
      return;
    }
    await stop(this.pid, reason, timeoutMs);
  }

  /** See {@link kill}. Resolves at once if the process has already exited. */
  async kill(): Promise<void> {
    if (!this.alive) {
      await this.#record.exited;
      return;
    }
    await kill(this.pid);
  }

  /** See {@link monitor}. */
  monitor(listener: ExitListener): () => void {
    return monitor(this.pid, listener);
  }
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
}

/**
 * Starts a GenServer in its own worker thread and resolves once its `init` has completed
 * (OTP's `GenServer.start_link/3`, without the link: use a supervisor or `monitor`).
 *
 * `modulePath` is a compiled JavaScript module (CommonJS or ESM) whose default export is
 * a `defineGenServer(...)` definition; relative paths resolve from the current directory.
 * Type the client by the definition: `startGenServer<typeof import('./cache').default>(...)`.
 *
 * Rejects with a `StartError`: `ERR_MODULE_NOT_FOUND`, `ERR_MODULE_LOAD`,
 * `ERR_NOT_A_GENSERVER`, `ERR_INIT_FAILED` (init threw, returned `{ stop }` or an invalid
 * value; `reason` says which), `ERR_START_TIMEOUT`; or `NameAlreadyRegisteredError`. The
 * thread is gone whenever start rejects.
 */
export async function startGenServer<D extends GenServerDefinition = GenServerDefinition>(
  modulePath: string,
  initArg: InitArgOf<D>,
  options: StartOptions = {},
  /** @internal A restart: `init` waits for this (the replaced process's thread to end); the thread starts now. */
  initAfter?: Promise<unknown>,
): Promise<GenServer<D>> {
  validateStartOptions(options);
  if (typeof modulePath !== 'string' || modulePath.length === 0) {
    throw new TypeError(`worker-otp start: modulePath must be the path of a GenServer module; got ${describeValue(modulePath)}`);
  }
  const absolutePath = resolvePath(modulePath);
  if (!existsSync(absolutePath)) {
    throw new StartError('ERR_MODULE_NOT_FOUND', `worker-otp start: no GenServer module at ${absolutePath}; give the path of the compiled .js file`);
  }
  const { name } = options;
  if (name !== undefined) {
    const holder = processTable.whereis(name);
    if (holder !== undefined) throw new NameAlreadyRegisteredError(name, holder);
  }
  const pid = processTable.allocatePid();
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
      workerData: startData,
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    });
  } catch (error) {
    throw isDataCloneError(error)
      ? new StartError('ERR_PAYLOAD_NOT_CLONEABLE', `worker-otp start: the init argument cannot cross a thread (${(error as Error).message}); pass plain data`, undefined, error)
      : error;
  }
  const record = processTable.add(pid, name, worker, startData.autoSpans, name ?? defaultLabel);
  void initAfter?.then(() => {
    if (record.exitReason === undefined) processTable.deliver(record, { type: 'go' }, 'go');
  });
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
      reject(
        timedOut
          ? new StartError('ERR_START_TIMEOUT', `worker-otp start: ${record.label}.init did not complete within ${startTimeoutMs} ms; the thread was ended`)
          : startFailure(record, reason),
      );
    });
  });
  return new GenServer<D>(record, options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
}

function startFailure(record: ProcessRecord, reason: ExitReason): Error {
  if (reason.type === 'error' && reason.error instanceof StartError) return reason.error;
  return new StartError(
    'ERR_INIT_FAILED',
    `worker-otp start: ${record.label} (${formatPid(record.pid)}) did not start: ${describeExitReason(reason)}`,
    reason,
    reason.type === 'error' ? reason.error : undefined,
  );
}
