/**
 * The catalogue of worker-otp's errors: every class, its codes and the messages it is
 * made with, in one place. Each message starts with the component and says what to do.
 * Errors cross threads (see `error-wire.ts`), where the class is rebuilt from its name.
 */
import { describeProcess, describeValue, formatPid, messageOf, type ProcessLabel } from './describe';
import { WorkerOtpError } from './worker-otp-error';

/**
 * What to do about a TypeScript module Node could not load: Node 20 runs no TypeScript by
 * itself, and worker threads inherit the application's loader when it has one.
 */
function typeScriptHint(modulePath: string, error: unknown): string {
  if (!/\.[cm]?ts$/.test(modulePath)) return '';
  const code = (error as { code?: string } | null)?.code;
  const syntax = (error as { name?: string } | null)?.name === 'SyntaxError';
  if (!syntax && code !== 'ERR_UNKNOWN_FILE_EXTENSION') return '';
  return '. It is TypeScript: give the compiled .js file, or run the application with a TypeScript loader (e.g. node --import tsx app.ts), which worker-otp\'s threads inherit';
}

/** The exit reason of a process, in the shape an error carries it (see `exit-reason.ts`). */
type ExitReasonLike = { readonly type: string };

/** `startTelemetry` was called while worker-otp telemetry is already running in this thread. */
export class TelemetryAlreadyStartedError extends WorkerOtpError<'ERR_TELEMETRY_ALREADY_STARTED'> {
  constructor() {
    super(
      'ERR_TELEMETRY_ALREADY_STARTED',
      'worker-otp telemetry: already started in this thread; reuse the running instance, or await its shutdown() before starting again',
    );
  }
}

/** `startTelemetry` was called in an application that already runs OpenTelemetry. */
export class TelemetryConflictError extends WorkerOtpError<'ERR_TELEMETRY_CONFLICT'> {
  constructor() {
    super(
      'ERR_TELEMETRY_CONFLICT',
      'worker-otp telemetry: this application already runs OpenTelemetry (a tracer provider or context manager is registered); ' +
        'remove startTelemetry(): worker-otp joins your SDK by itself, and every thread\'s spans leave through your exporter, resource and sampler',
    );
  }
}

/** A peer thread did not answer a span flush request in time; its spans may be lost. */
export class FlushTimeoutError extends WorkerOtpError<'ERR_FLUSH_TIMEOUT'> {
  constructor(timeoutMs: number, peer = 'a worker thread') {
    super(
      'ERR_FLUSH_TIMEOUT',
      `worker-otp telemetry: ${peer} did not send its spans within ${timeoutMs} ms; ` +
        'it may be blocked or gone. Raise options.flushTimeoutMs if it is only slow',
    );
  }
}

/** A call got no reply within its timeout. The process goes on; a late reply is dropped. */
export class CallTimeoutError extends WorkerOtpError<'ERR_CALL_TIMEOUT'> {
  readonly timeoutMs: number;
  constructor(target: ProcessLabel, timeoutMs: number) {
    super(
      'ERR_CALL_TIMEOUT',
      `worker-otp call: ${describeProcess(target)} did not reply within ${timeoutMs} ms; ` +
        'pass a larger timeoutMs if the work is slow, or reply later with reply(from, value)',
    );
    this.timeoutMs = timeoutMs;
  }
}

/** No process has that pid or name (never started, already exited, or restarting). */
export class NoProcessError extends WorkerOtpError<'ERR_NO_PROCESS'> {
  readonly target: string;
  constructor(target: string) {
    super('ERR_NO_PROCESS', `worker-otp: no process ${target} is running; it has exited, was never started, or is being restarted`);
    this.target = target;
  }
}

/** The process exited before it replied, or while the call waited in its mailbox. */
export class ProcessExitError extends WorkerOtpError<'ERR_PROCESS_EXIT'> {
  readonly reason: ExitReasonLike;
  readonly process: ProcessLabel;
  constructor(process: ProcessLabel, reason: ExitReasonLike, description: string, cause?: unknown) {
    super('ERR_PROCESS_EXIT', `worker-otp: process ${describeProcess(process)} exited (${description}) before replying`, { cause });
    this.reason = reason;
    this.process = process;
  }
}

/** A message or reply could not be structured-cloned; nothing was delivered. */
export class PayloadNotCloneableError extends WorkerOtpError<'ERR_PAYLOAD_NOT_CLONEABLE'> {
  constructor(what: string, cause: unknown) {
    super(
      'ERR_PAYLOAD_NOT_CLONEABLE',
      `worker-otp: the ${what} cannot cross a thread (${messageOf(cause)}); ` +
        'send plain data: no functions, symbols, class instances with behaviour, or open handles',
      { cause },
    );
  }
}

/**
 * A process's mailbox holds its `maxMailbox` messages already: this one was not sent.
 * Back-pressure: retry later, shed the load, or raise `maxMailbox`.
 */
export class MailboxFullError extends WorkerOtpError<'ERR_MAILBOX_FULL'> {
  readonly maxMailbox: number;
  constructor(target: ProcessLabel, maxMailbox: number) {
    super(
      'ERR_MAILBOX_FULL',
      `worker-otp: the mailbox of ${describeProcess(target)} is full (maxMailbox ${maxMailbox}); the message was not sent. ` +
        'Retry later, shed the load, or raise maxMailbox',
    );
    this.maxMailbox = maxMailbox;
  }
}

/** A process name is already taken by a running process. */
export class NameAlreadyRegisteredError extends WorkerOtpError<'ERR_NAME_TAKEN'> {
  readonly processName: string;
  /** The node of the holder, for a cluster-wide name. */
  readonly node: string | undefined;
  constructor(processName: string, holder: number, node?: string) {
    super(
      'ERR_NAME_TAKEN',
      `worker-otp: the name ${processName} is already registered to ${formatPid(holder)}${node === undefined ? '' : ` on node ${node}`}; stop it first or choose another name`,
    );
    this.processName = processName;
    this.node = node;
  }
}

/** Why a GenServer did not start. */
export type StartErrorCode =
  | 'ERR_MODULE_NOT_FOUND'
  | 'ERR_MODULE_LOAD'
  | 'ERR_NOT_A_GENSERVER'
  | 'ERR_INIT_FAILED'
  | 'ERR_START_TIMEOUT'
  | 'ERR_PAYLOAD_NOT_CLONEABLE';

/** A GenServer's start failed: its module did not load, its `init` failed or timed out. */
export class StartError extends WorkerOtpError<StartErrorCode> {
  /** The exit reason of the process that did not start, when it got as far as running. */
  readonly reason: ExitReasonLike | undefined;
  constructor(code: StartErrorCode, message: string, reason?: ExitReasonLike, cause?: unknown) {
    super(code, message, { cause });
    this.reason = reason;
  }

  static moduleNotFound(absolutePath: string): StartError {
    return new StartError('ERR_MODULE_NOT_FOUND', `worker-otp start: no GenServer module at ${absolutePath}; give the path of the compiled .js file`);
  }

  static moduleLoad(modulePath: string, error: unknown): StartError {
    const code = (error as { code?: string } | null)?.code === 'ERR_MODULE_NOT_FOUND' ? 'ERR_MODULE_NOT_FOUND' : 'ERR_MODULE_LOAD';
    return new StartError(code, `worker-otp start: could not load the GenServer module ${modulePath}: ${messageOf(error)}${typeScriptHint(modulePath, error)}`, undefined, error);
  }

  static notAGenServer(modulePath: string, exportNames: readonly string[]): StartError {
    return new StartError(
      'ERR_NOT_A_GENSERVER',
      `worker-otp start: ${modulePath} has no GenServer default export (found ${exportNames.length ? `exports ${exportNames.join(', ')}` : 'no exports'}); ` +
        'write `export default defineGenServer({ init, ... })`',
    );
  }

  static initArgNotCloneable(error: unknown): StartError {
    return new StartError('ERR_PAYLOAD_NOT_CLONEABLE', `worker-otp start: the init argument cannot cross a thread (${messageOf(error)}); pass plain data`, undefined, error);
  }

  static timeout(label: string, timeoutMs: number): StartError {
    return new StartError(
      'ERR_START_TIMEOUT',
      `worker-otp start: ${label}.init did not complete within ${timeoutMs} ms; the thread was ended. Raise startTimeoutMs if init is slow`,
    );
  }

  static initFailed(process: ProcessLabel, reason: ExitReasonLike, description: string, cause?: unknown): StartError {
    return new StartError('ERR_INIT_FAILED', `worker-otp start: ${describeProcess(process)} did not start: ${description}`, reason, cause);
  }
}

/** A callback returned something that is not one of its allowed shapes. */
export class InvalidReturnError extends WorkerOtpError<'ERR_INVALID_RETURN'> {
  constructor(callback: string, returned: string, allowed: string) {
    super('ERR_INVALID_RETURN', `worker-otp: ${callback} returned ${returned}; it must return ${allowed}`);
  }
}

/** A message arrived for a callback the GenServer does not define. */
export class UndefinedCallbackError extends WorkerOtpError<'ERR_UNDEFINED_CALLBACK'> {
  constructor(callback: string, label: string) {
    super('ERR_UNDEFINED_CALLBACK', `worker-otp: ${label} received a message for ${callback}, which its definition does not have; add ${callback} to defineGenServer({...})`);
  }
}

/** A process API (`call`, `reply`, `self`, ...) was used outside a GenServer's thread, or wrongly. */
export class ProcessContextError extends WorkerOtpError<'ERR_PROCESS_CONTEXT'> {
  constructor(message: string) {
    super('ERR_PROCESS_CONTEXT', `worker-otp: ${message}`);
  }

  static outsideProcess(operation: string): ProcessContextError {
    return new ProcessContextError(`${operation}() works inside a GenServer's callbacks; from the main thread use the GenServer client`);
  }

  static badFrom(from: unknown): ProcessContextError {
    return new ProcessContextError(`reply(from, value) needs the from that handleCall received; got ${describeValue(from)}`);
  }

  static callsItself(label: string): ProcessContextError {
    return new ProcessContextError(`${label} called itself, which can only deadlock; handle the request directly`);
  }

  static stopsItself(label: string): ProcessContextError {
    return new ProcessContextError(`${label} asked to stop itself and wait for that, which can only deadlock; return { stop: reason, state } from the callback instead`);
  }

  static mainThreadOnly(operation: string): ProcessContextError {
    return new ProcessContextError(`${operation} from 'worker-otp' runs in the main thread; inside a process, import ${operation} from 'worker-otp/workers', which asks the main thread (so pids stay unique)`);
  }
}

/** Why a supervisor refused an operation or could not do it. */
export type SupervisorErrorCode =
  | 'ERR_CHILD_START'
  | 'ERR_DUPLICATE_CHILD_ID'
  | 'ERR_CHILD_RUNNING'
  | 'ERR_CHILD_NOT_FOUND'
  | 'ERR_SUPERVISOR_EXITED'
  | 'ERR_MAX_CHILDREN';

/**
 * A supervisor refused an operation or could not do it: a child that failed to start, an
 * unknown or duplicate child id, a child in the wrong state, the `maxChildren` limit.
 */
export class SupervisorError extends WorkerOtpError<SupervisorErrorCode> {
  readonly childId: string | undefined;
  constructor(code: SupervisorErrorCode, message: string, childId?: string, cause?: unknown) {
    super(code, message, { cause });
    this.childId = childId;
  }

  static childStart(supervisor: string, id: string, error: unknown): SupervisorError {
    return new SupervisorError('ERR_CHILD_START', `worker-otp supervisor ${supervisor}: child ${id} failed to start: ${messageOf(error)}`, id, error);
  }

  static duplicateChildId(supervisor: string, id: string): SupervisorError {
    return new SupervisorError('ERR_DUPLICATE_CHILD_ID', `worker-otp supervisor ${supervisor}: two children would have the id ${id}; child ids must be unique`, id);
  }

  static childRunning(supervisor: string, id: string, operation: 'restart' | 'delete'): SupervisorError {
    return new SupervisorError('ERR_CHILD_RUNNING', `worker-otp supervisor ${supervisor}: child ${id} is running; terminate it before you ${operation} it`, id);
  }

  static childNotFound(supervisor: string, child: { readonly id: string } | { readonly pid: number | undefined }): SupervisorError {
    if ('id' in child) return new SupervisorError('ERR_CHILD_NOT_FOUND', `worker-otp supervisor ${supervisor}: no child with id ${child.id}`, child.id);
    return new SupervisorError('ERR_CHILD_NOT_FOUND', `worker-otp supervisor ${supervisor}: no child has pid ${child.pid === undefined ? 'undefined' : formatPid(child.pid)}`);
  }

  static supervisorExited(supervisor: string, reason: string): SupervisorError {
    return new SupervisorError('ERR_SUPERVISOR_EXITED', `worker-otp supervisor ${supervisor}: it has exited (${reason}); start a new one`);
  }

  static maxChildren(supervisor: string, maxChildren: number): SupervisorError {
    return new SupervisorError('ERR_MAX_CHILDREN', `worker-otp supervisor ${supervisor}: already runs its maxChildren (${maxChildren}); stop a child first or raise maxChildren`);
  }
}

/**
 * The exit reason of a supervisor that saw more restarts than `maxRestarts` within
 * `maxSeconds`: it stopped its children and gave up, so its own supervisor decides next.
 */
export class RestartIntensityError extends WorkerOtpError<'ERR_RESTART_INTENSITY'> {
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
export class TaskTimeoutError extends WorkerOtpError<'ERR_TASK_TIMEOUT'> {
  readonly timeoutMs: number;
  constructor(task: string, timeoutMs: number) {
    super('ERR_TASK_TIMEOUT', `worker-otp task ${task}: no result within ${timeoutMs} ms; it was cancelled. Pass a larger timeout if the work is slow`);
    this.timeoutMs = timeoutMs;
  }
}

/** What cancelled a task: its own `shutdown()`, its supervisor's shutdown deadline, or an `AbortSignal`. */
export type TaskCancelledBy = 'task_shutdown' | 'supervisor_shutdown' | 'abort_signal';

/** A task was cancelled before it finished; `cancelledBy` says by what. A running task's thread was ended. */
export class TaskCancelledError extends WorkerOtpError<'ERR_TASK_CANCELLED'> {
  readonly cancelledBy: TaskCancelledBy;
  private constructor(message: string, cancelledBy: TaskCancelledBy, cause?: unknown) {
    super('ERR_TASK_CANCELLED', message, { cause });
    this.cancelledBy = cancelledBy;
  }

  static byShutdown(task: string): TaskCancelledError {
    return new TaskCancelledError(`worker-otp task ${task}: cancelled by shutdown() before it finished`, 'task_shutdown');
  }

  static bySupervisorShutdown(task: string, supervisor: string, timeoutMs: number): TaskCancelledError {
    return new TaskCancelledError(
      `worker-otp task ${task}: task supervisor ${supervisor} was shut down, and the task had not finished ${timeoutMs} ms later; it was cancelled. ` +
        'Pass shutdown() a longer timeout, or Infinity, to let tasks finish',
      'supervisor_shutdown',
    );
  }

  static byAbortSignal(task: string, reason: unknown): TaskCancelledError {
    return new TaskCancelledError(`worker-otp task ${task}: cancelled by its AbortSignal (${messageOf(reason)})`, 'abort_signal', reason);
  }
}

/** A task was submitted to a task supervisor that is shut down, or shutting down: it was not started. */
export class TaskSupervisorClosedError extends WorkerOtpError<'ERR_TASK_SUPERVISOR_CLOSED'> {
  constructor(supervisor: string) {
    super('ERR_TASK_SUPERVISOR_CLOSED', `worker-otp task supervisor ${supervisor}: it is shut down and takes no more tasks; start a new TaskSupervisor`);
  }
}

/**
 * A task ended its thread (process.exit, an uncaught asynchronous error, out of memory):
 * it produced no result. The pool replaces the thread for the next task.
 */
export class TaskExitError extends WorkerOtpError<'ERR_TASK_EXIT'> {
  /** The node that ran the task and went down, for a task of a cluster pool. */
  readonly node: string | undefined;
  constructor(task: string, cause: unknown, node?: string) {
    super(
      'ERR_TASK_EXIT',
      node === undefined
        ? `worker-otp task ${task}: its thread died before returning (${messageOf(cause)}); ` +
            'an error thrown asynchronously outside the task\'s promise chain, process.exit() or the heap limit ends a thread'
        : `worker-otp task ${task}: node ${node}, which ran it, went down before returning (${messageOf(cause)}); ` +
            'it may have run in part. A durable pool would run it again on another node',
      { cause },
    );
    this.node = node;
  }
}

/** The task supervisor's queue is full (`maxQueue`); the task was not submitted. */
export class TaskQueueFullError extends WorkerOtpError<'ERR_TASK_QUEUE_FULL'> {
  constructor(supervisor: string, maxQueue: number | string) {
    super('ERR_TASK_QUEUE_FULL', `worker-otp task supervisor ${supervisor}: its queue is full (maxQueue ${maxQueue}); wait for tasks to finish, or raise maxQueue`);
  }
}

/** Why a task's module or export cannot be used. */
export type TaskModuleErrorCode = 'ERR_TASK_MODULE_NOT_FOUND' | 'ERR_TASK_MODULE_LOAD' | 'ERR_TASK_EXPORT_NOT_FOUND';

/** A task names a module or an export that cannot be used. */
export class TaskModuleError extends WorkerOtpError<TaskModuleErrorCode> {
  constructor(code: TaskModuleErrorCode, message: string, cause?: unknown) {
    super(code, `worker-otp task: ${message}`, { cause });
  }

  static notFound(absolutePath: string): TaskModuleError {
    return new TaskModuleError('ERR_TASK_MODULE_NOT_FOUND', `no module at ${absolutePath}; name the compiled .js file`);
  }

  static load(modulePath: string, error: unknown): TaskModuleError {
    return new TaskModuleError('ERR_TASK_MODULE_LOAD', `could not load ${modulePath}: ${messageOf(error)}${typeScriptHint(modulePath, error)}`, error);
  }

  static exportNotFound(modulePath: string, exportName: string, functions: readonly string[]): TaskModuleError {
    return new TaskModuleError(
      'ERR_TASK_EXPORT_NOT_FOUND',
      `${modulePath} has no exported function ${exportName} (found ${functions.length ? functions.join(', ') : 'none'})`,
    );
  }
}

/** Why a cluster operation failed. */
export type ClusterErrorCode =
  | 'ERR_NATS_NOT_INSTALLED'
  | 'ERR_NOT_A_NODE'
  | 'ERR_NODE_NAME_TAKEN'
  | 'ERR_NODE_CONNECT'
  | 'ERR_NODE_STOPPED'
  | 'ERR_ALREADY_A_NODE'
  | 'ERR_POOL_CLOSED'
  | 'ERR_PAYLOAD_TOO_LARGE'
  | 'ERR_CLUSTER_NAME'
  | 'ERR_JETSTREAM_UNAVAILABLE'
  | 'ERR_TASK_DELIVERY_LIMIT';

/**
 * A cluster operation failed: the NATS client is not installed, this program is not a
 * node, a node name is taken or invalid, the servers cannot be reached, JetStream is off
 * (global names and durable pools need it), or a durable task ran out of deliveries.
 */
export class ClusterError extends WorkerOtpError<ClusterErrorCode> {
  constructor(code: ClusterErrorCode, message: string, cause?: unknown) {
    super(code, `worker-otp cluster: ${message}`, { cause });
  }

  static natsNotInstalled(cause: unknown): ClusterError {
    return new ClusterError(
      'ERR_NATS_NOT_INSTALLED',
      'clusters run on NATS through its official client, which is not installed: npm install @nats-io/transport-node @nats-io/jetstream @nats-io/kv',
      cause,
    );
  }

  /** `what` (reaching a process on another node, a cluster-wide name) needs this program to be a node. */
  static notANode(what: string): ClusterError {
    return new ClusterError('ERR_NOT_A_NODE', `${what} needs this program to be a cluster node; call startNode({ name, servers }) from worker-otp/cluster first`);
  }

  static nodeNameTaken(node: string): ClusterError {
    return new ClusterError('ERR_NODE_NAME_TAKEN', `a running node is already named ${node}; give each program its own node name`);
  }

  static connect(servers: string, cause: unknown): ClusterError {
    return new ClusterError('ERR_NODE_CONNECT', `could not reach the NATS servers ${servers} (${messageOf(cause)}); start nats-server, or pass the right servers`, cause);
  }

  static alreadyANode(node: string): ClusterError {
    return new ClusterError('ERR_ALREADY_A_NODE', `this program is node ${node} already; a program is one node: stop() it before starting another`);
  }

  static nodeStopped(node: string, cause?: unknown): ClusterError {
    return new ClusterError('ERR_NODE_STOPPED', `node ${node} has stopped; start a new node`, cause);
  }

  static poolClosed(pool: string, node: string): ClusterError {
    return new ClusterError('ERR_POOL_CLOSED', `task pool ${pool} is closed on node ${node} (or the node stopped): its tasks from here are not followed any more; open it again with node.taskPool()`);
  }

  static payloadTooLarge(what: string, bytes: number, limit: number): ClusterError {
    return new ClusterError(
      'ERR_PAYLOAD_TOO_LARGE',
      `the ${what} is ${bytes} bytes serialized, more than the ${limit} a NATS message can carry here (the server's max_payload); nothing was sent. ` +
        'Send less (a reference to the data, not the data), or raise max_payload on the NATS servers',
    );
  }

  static badName(what: string, value: unknown): ClusterError {
    return new ClusterError(
      'ERR_CLUSTER_NAME',
      `${what} must be 1 to 64 characters of letters, digits, '_' and '-' (it becomes part of NATS subjects and keys); got ${describeValue(value)}`,
    );
  }

  static jetStreamUnavailable(feature: string, cause: unknown): ClusterError {
    return new ClusterError(
      'ERR_JETSTREAM_UNAVAILABLE',
      `${feature} needs JetStream, which the NATS server does not offer (${messageOf(cause)}); run nats-server with -js (JetStream enabled)`,
      cause,
    );
  }

  static deliveryLimit(task: string, deliveries: number): ClusterError {
    return new ClusterError(
      'ERR_TASK_DELIVERY_LIMIT',
      `durable task ${task} was delivered ${deliveries} times and never finished (each node that took it died or left); it was dropped. ` +
        'Look for what kills the nodes, or raise deliveryLimit',
    );
  }
}
