/**
 * The catalogue of worker-otp's errors. Each class has a stable `code` to branch on, and
 * a message that starts with the component and says what to do. The catalogue sits in
 * `propagation/` because errors cross threads: both sides rebuild a class from its code.
 */

import { formatPid } from './process-protocol';

/** Where a worker-otp error records the names of its class and its ancestors. */
const ERROR_CLASSES = Symbol.for('worker-otp.error-classes');

function classNames(target: Function): string[] {
  const names: string[] = [];
  for (let current: unknown = target; typeof current === 'function' && current !== Error; current = Object.getPrototypeOf(current)) {
    names.push((current as Function).name);
  }
  return names;
}

/** Base class of every error worker-otp raises on purpose. */
export class WorkerOtpError extends Error {
  /** Stable identifier, e.g. `ERR_TELEMETRY_ALREADY_STARTED`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /** The names of this error's class and its ancestors (read by `instanceof`, below). */
  get [ERROR_CLASSES](): string[] {
    return classNames(this.constructor);
  }

  /**
   * `instanceof` by class name as well as by prototype: a worker thread runs a bundled
   * copy of worker-otp, and an application module there may load the package's main entry
   * too; an error one copy throws is still an instance of the other copy's classes.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const names = (value as { [ERROR_CLASSES]?: readonly string[] } | null)?.[ERROR_CLASSES];
    return Array.isArray(names) && names.includes(this.name);
  }
}

/** `startTelemetry` was called while worker-otp telemetry is already running in this thread. */
export class TelemetryAlreadyStartedError extends WorkerOtpError {
  constructor() {
    super(
      'ERR_TELEMETRY_ALREADY_STARTED',
      'worker-otp telemetry: already started in this thread; reuse the running instance, or await its shutdown() before starting again',
    );
  }
}

/** Another OpenTelemetry setup already owns this thread's global tracer provider or context manager. */
export class TelemetryConflictError extends WorkerOtpError {
  constructor() {
    super(
      'ERR_TELEMETRY_CONFLICT',
      'worker-otp telemetry: another OpenTelemetry setup is registered in this thread; ' +
        'shut it down (or do not start it) before starting worker-otp telemetry, which exports every thread\'s spans itself',
    );
  }
}

/** A peer thread did not answer a span flush request in time; its spans may be lost. */
export class FlushTimeoutError extends WorkerOtpError {
  constructor(timeoutMs: number) {
    super(
      'ERR_FLUSH_TIMEOUT',
      `worker-otp telemetry: a worker thread did not send its spans within ${timeoutMs} ms; ` +
        'it may be blocked or gone. Raise options.flushTimeoutMs if it is only slow',
    );
  }
}

/** The exit reason of a process, in the shape the error carries it (see `exit-reason.ts`). */
type ExitReasonLike = { readonly type: string };

/** Describes a process for error messages: its name when it has one, and its pid. */
export interface ProcessLabel {
  /** Unknown when a call names its target by a name that did not resolve here. */
  readonly pid?: number;
  readonly name?: string;
}

function label(process: ProcessLabel): string {
  const pid = process.pid === undefined ? undefined : formatPid(process.pid);
  if (process.name && pid) return `${process.name} (${pid})`;
  return process.name ?? pid ?? 'a process';
}

/** A call got no reply within its timeout. The process goes on; a late reply is dropped. */
export class CallTimeoutError extends WorkerOtpError {
  readonly timeoutMs: number;
  constructor(target: ProcessLabel, timeoutMs: number) {
    super(
      'ERR_CALL_TIMEOUT',
      `worker-otp call: ${label(target)} did not reply within ${timeoutMs} ms; ` +
        'pass a larger timeoutMs if the work is slow, or reply later with reply(from, value)',
    );
    this.timeoutMs = timeoutMs;
  }
}

/** No process has that pid or name (never started, already exited, or restarting). */
export class NoProcessError extends WorkerOtpError {
  readonly target: string;
  constructor(target: string) {
    super('ERR_NO_PROCESS', `worker-otp: no process ${target} is running; it has exited, was never started, or is being restarted`);
    this.target = target;
  }
}

/** The process exited before it replied, or while the call waited in its mailbox. */
export class ProcessExitError extends WorkerOtpError {
  readonly reason: ExitReasonLike;
  readonly process: ProcessLabel;
  constructor(process: ProcessLabel, reason: ExitReasonLike, description: string, cause?: unknown) {
    super('ERR_PROCESS_EXIT', `worker-otp: process ${label(process)} exited (${description}) before replying`, cause === undefined ? undefined : { cause });
    this.reason = reason;
    this.process = process;
  }
}

/** Whether `error` is the DataCloneError postMessage throws for a value it cannot clone. */
export function isDataCloneError(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'DataCloneError';
}

/** A message or reply could not be structured-cloned; nothing was delivered. */
export class PayloadNotCloneableError extends WorkerOtpError {
  constructor(what: string, cause: unknown) {
    super(
      'ERR_PAYLOAD_NOT_CLONEABLE',
      `worker-otp: the ${what} cannot cross a thread (${(cause as Error)?.message ?? String(cause)}); ` +
        'send plain data: no functions, symbols, class instances with behaviour, or open handles',
      { cause },
    );
  }
}

/** A process name is already taken by a running process. */
export class NameAlreadyRegisteredError extends WorkerOtpError {
  readonly processName: string;
  constructor(processName: string, holder: number) {
    super('ERR_NAME_TAKEN', `worker-otp: the name ${processName} is already registered to ${formatPid(holder)}; stop it first or choose another name`);
    this.processName = processName;
  }
}

/** A GenServer's start failed: its module did not load, its `init` failed or timed out. */
export class StartError extends WorkerOtpError {
  readonly reason: ExitReasonLike | undefined;
  constructor(code: string, message: string, reason?: ExitReasonLike, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
    this.reason = reason;
  }
}

/** A callback returned something that is not one of its allowed shapes. */
export class InvalidReturnError extends WorkerOtpError {
  constructor(callback: string, returned: string, allowed: string) {
    super('ERR_INVALID_RETURN', `worker-otp: ${callback} returned ${returned}; it must return ${allowed}`);
  }
}

/**
 * An error thrown in another thread, whose class is not one worker-otp knows. Its
 * `name`, `message`, `stack`, `code` and `cause` are the original's.
 */
export class RemoteError extends Error {
  readonly code: string | undefined;
  constructor(name: string, message: string, code?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.code = code;
  }
}

/** A message arrived for a callback the GenServer does not define. */
export class UndefinedCallbackError extends WorkerOtpError {
  constructor(callback: string, label: string) {
    super('ERR_UNDEFINED_CALLBACK', `worker-otp: ${label} received a message for ${callback}, which its definition does not have; add ${callback} to defineGenServer({...})`);
  }
}

/** A process API (`call`, `reply`, `self`, ...) was used outside a GenServer's thread, or wrongly. */
export class ProcessContextError extends WorkerOtpError {
  constructor(message: string) {
    super('ERR_PROCESS_CONTEXT', `worker-otp: ${message}`);
  }
}

/**
 * A supervisor refused an operation or could not do it: a child that failed to start, an
 * unknown or duplicate child id, a child in the wrong state, the `maxChildren` limit.
 */
export class SupervisorError extends WorkerOtpError {
  readonly childId: string | undefined;
  constructor(code: string, message: string, childId?: string, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
    this.childId = childId;
  }
}

/**
 * The exit reason of a supervisor that saw more restarts than `maxRestarts` within
 * `maxSeconds`: it stopped its children and gave up, so its own supervisor decides next.
 */
export class RestartIntensityError extends WorkerOtpError {
  readonly supervisor: string;
  constructor(supervisor: string, maxRestarts: number, maxSeconds: number, lastCrash: string) {
    super(
      'ERR_RESTART_INTENSITY',
      `worker-otp supervisor ${supervisor}: more than ${maxRestarts} restarts within ${maxSeconds} s (last: ${lastCrash}); ` +
        'it stopped its children and exited. Fix the crashing child, or raise maxRestarts/maxSeconds if such bursts are expected',
    );
    this.supervisor = supervisor;
  }
}

/** A task did not finish within its timeout; it was cancelled (its thread ended if it was running). */
export class TaskTimeoutError extends WorkerOtpError {
  readonly timeoutMs: number;
  constructor(task: string, timeoutMs: number) {
    super('ERR_TASK_TIMEOUT', `worker-otp task ${task}: no result within ${timeoutMs} ms; it was cancelled. Pass a larger timeout if the work is slow`);
    this.timeoutMs = timeoutMs;
  }
}

/** A task was cancelled by `shutdown()` before it finished. */
export class TaskCancelledError extends WorkerOtpError {
  constructor(task: string) {
    super('ERR_TASK_CANCELLED', `worker-otp task ${task}: cancelled by shutdown() before it finished`);
  }
}

/**
 * A task ended its thread (process.exit, an uncaught asynchronous error, out of memory):
 * it produced no result. The pool replaces the thread for the next task.
 */
export class TaskExitError extends WorkerOtpError {
  constructor(task: string, cause: unknown) {
    super(
      'ERR_TASK_EXIT',
      `worker-otp task ${task}: its thread died before returning (${(cause as Error)?.message ?? String(cause)}); ` +
        'an error thrown asynchronously outside the task\'s promise chain, process.exit() or the heap limit ends a thread',
      { cause },
    );
  }
}

/** The task supervisor's queue is full (`maxQueue`); the task was not submitted. */
export class TaskQueueFullError extends WorkerOtpError {
  constructor(supervisor: string, maxQueue: number | string) {
    super('ERR_TASK_QUEUE_FULL', `worker-otp task supervisor ${supervisor}: its queue is full (maxQueue ${maxQueue}); wait for tasks to finish, or raise maxQueue`);
  }
}

/** A task names a module or an export that cannot be used. */
export class TaskModuleError extends WorkerOtpError {
  constructor(code: 'ERR_TASK_MODULE_NOT_FOUND' | 'ERR_TASK_MODULE_LOAD' | 'ERR_TASK_EXPORT_NOT_FOUND', message: string, cause?: unknown) {
    super(code, `worker-otp task: ${message}`, cause === undefined ? undefined : { cause });
  }
}
