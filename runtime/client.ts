/**
 * The main thread's GenServer client: `call`, `cast`, `send`, `stop`, `kill`, `whereis`,
 * `monitor`, by pid or registered name (OTP's `GenServer` client functions).
 */
import { context, trace, type Attributes, type Span } from '@opentelemetry/api';
import { exitReasonFrom, toWireExitReason, type StopReason } from '../errors';
import { envelope } from '../protocol/envelopes';
import { takeTransfer } from '../protocol/move';
import { describeRef, makePid, type Address, type Pid, type ProcessRef } from '../protocol/pid';
import { isRemoteRef, type RemoteRef } from '../protocol/remote-ref';
import type { NamedCall, NamedCast, NamedInfo, NamedReply, RegisteredName, UnlistedRef } from '../protocol/registered-names';
import { tracingOn } from '../protocol/span-outbox';
import { stampTrace } from '../protocol/stamp';
import { startTimeout, validateTimeout } from '../protocol/timeouts';
import { ATTR_MESSAGE_KIND, ATTR_PID, ATTR_PROCESS_NAME, ATTR_TARGET } from '../telemetry/record/attributes';
import { ClientCall } from '../telemetry/record/client-call';
import { OPERATION_NAMES, SPAN_KINDS, endWhenSettled, recordFailure } from '../telemetry/record/run-in-span';
import { runtimeTracer } from '../protocol/runtime-tracer';
import { MAIN_PID, type ExitListener, type ProcessRecord } from './process-record';
import { processTable } from './process-table';
import { clusterLink } from './cluster-link';

/** OTP's default call timeout. */
export const DEFAULT_CALL_TIMEOUT_MS = 5000;
/** How long `stop` lets `terminate` run by default, before killing the thread. */
export const DEFAULT_STOP_TIMEOUT_MS = 5000;

/** Options of a call. */
export interface CallOptions {
  /** How long to wait for the reply, in ms, or `Infinity`. Default: the client's `callTimeoutMs`, else 5000. */
  readonly timeoutMs?: number;
}

/** The CLIENT or PRODUCER span of a message to `label` (a process of this program, or one on another node). */
function sendSpan(label: string, kind: 'call' | 'cast' | 'info', attributes: Attributes): Span {
  return runtimeTracer().startSpan(
    `${label}.${OPERATION_NAMES[kind].send}`,
    { kind: SPAN_KINDS[kind].client, attributes: { ...attributes, [ATTR_MESSAGE_KIND]: kind } },
    context.active(),
  );
}

function clientSpan(record: ProcessRecord, kind: 'call' | 'cast' | 'info'): Span | undefined {
  if (!record.autoSpans || !tracingOn()) return undefined;
  return sendSpan(record.label, kind, { [ATTR_PID]: record.pid, [ATTR_PROCESS_NAME]: record.label });
}

/**
 * Calls a process and waits for its reply (OTP's `GenServer.call/3`). The caller's trace
 * context goes with the request; a CLIENT span covers the wait.
 *
 * Rejects, never hangs: `CallTimeoutError` (the process goes on; its late reply is
 * dropped), `NoProcessError`, `ProcessExitError` (the process exited before replying;
 * carries the reason), `PayloadNotCloneableError` or `MailboxFullError` (nothing was sent).
 *
 * A process on another cluster node (`{ name, node }`, `{ global: name }`) is called
 * through this program's node (`startNode` from `worker-otp/cluster`), with the same
 * errors; a node that goes down mid-call fails it with `ProcessExitError` (reason
 * `noconnection`).
 */
export function call<N extends RegisteredName>(target: N, request: NamedCall<N>, options?: CallOptions): Promise<NamedReply<N>>;
export function call<Reply = unknown, T extends ProcessRef = ProcessRef>(target: UnlistedRef<T>, request: unknown, options?: CallOptions): Promise<Reply>;
export function call<Reply = unknown>(target: RemoteRef, request: unknown, options?: CallOptions): Promise<Reply>;
export function call(target: Address, request: unknown, options?: CallOptions): Promise<unknown> {
  if (isRemoteRef(target)) return callRemote(target, request, options?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
  return callProcess(target, request, options, DEFAULT_CALL_TIMEOUT_MS);
}

function remoteSpan(target: RemoteRef, kind: 'call' | 'cast' | 'info'): Span | undefined {
  if (!tracingOn()) return undefined;
  const label = describeRef(target);
  return sendSpan(label, kind, { [ATTR_TARGET]: label });
}

function callRemote(target: RemoteRef, request: unknown, timeoutMs: number): Promise<unknown> {
  let span: Span | undefined;
  let answer: Promise<unknown>;
  try {
    validateTimeout(timeoutMs, 'options.timeoutMs');
    const delivery = clusterLink(`reaching ${describeRef(target)}`);
    takeTransfer(request);
    span = remoteSpan(target, 'call');
    answer = delivery.call(target, request, timeoutMs, span ? trace.setSpan(context.active(), span) : context.active());
  } catch (error) {
    answer = Promise.reject(error);
  }
  return span === undefined ? answer : endWhenSettled(span, answer);
}

function sendRemote(kind: 'cast' | 'info', target: RemoteRef, message: unknown): void {
  const delivery = clusterLink(`reaching ${describeRef(target)}`);
  takeTransfer(message);
  const span = remoteSpan(target, kind);
  try {
    delivery.send(kind, target, message, span ? trace.setSpan(context.active(), span) : context.active());
  } catch (error) {
    if (span) recordFailure(span, error);
    throw error;
  } finally {
    span?.end();
  }
}

function isLiveRecord(target: ProcessRef | ProcessRecord): target is ProcessRecord {
  return typeof target === 'object' && target !== null && 'worker' in target && target.exitReason === undefined;
}

/** `target` is a process reference, or the record a GenServer client already holds. */
export function callProcess<Reply>(target: ProcessRef | ProcessRecord, request: unknown, options: CallOptions | undefined, defaultTimeoutMs: number): Promise<Reply> {
  let record: ProcessRecord;
  let timeoutMs: number;
  try {
    timeoutMs = validateTimeout(options?.timeoutMs ?? defaultTimeoutMs, 'options.timeoutMs');
    // A client's own live record needs no lookup; an exiting one is refused as a lookup would.
    record = isLiveRecord(target) ? target : processTable.registry.require(target as ProcessRef);
  } catch (error) {
    return Promise.reject(error);
  }
  const span = clientSpan(record, 'call');
  return new Promise<Reply>((resolve, reject) => {
    const calls = processTable.mainCalls;
    const call = new ClientCall(record, span, resolve as (value: unknown) => void, reject);
    const ref = calls.add(call);
    try {
      processTable.router.deliverMessage(record, envelope.call(MAIN_PID, ref, request, stampTrace(span)), 'call request', takeTransfer(request));
    } catch (error) {
      calls.drop(ref);
      call.reject(error as Error);
      return;
    }
    calls.arm(ref, call, timeoutMs);
  });
}

function sendOneWay(kind: 'cast' | 'info', target: Address, message: unknown): void {
  if (isRemoteRef(target)) return sendRemote(kind, target, message);
  const record = processTable.registry.require(target);
  const span = clientSpan(record, kind);
  try {
    const transfer = takeTransfer(message);
    processTable.router.deliverMessage(record, kind === 'cast' ? envelope.cast(message, stampTrace(span)) : envelope.info(message, stampTrace(span)), 'message', transfer);
  } catch (error) {
    if (span) recordFailure(span, error);
    throw error;
  } finally {
    span?.end();
  }
}

/**
 * Sends a request to a process's `handleCast` without waiting (OTP's `GenServer.cast/2`).
 * Throws `NoProcessError`, `PayloadNotCloneableError` or (a process started with
 * `maxMailbox`) `MailboxFullError` at once; nothing is sent then. To a process on another
 * node, a cast leaves without confirmation: one to a name no node holds is dropped, as in OTP.
 */
export function cast<N extends RegisteredName>(target: N, message: NamedCast<N>): void;
export function cast<T extends ProcessRef>(target: UnlistedRef<T>, message: unknown): void;
export function cast(target: RemoteRef, message: unknown): void;
export function cast(target: Address, message: unknown): void {
  sendOneWay('cast', target, message);
}

/**
 * Sends a plain message to a process's `handleInfo` (OTP's `send/2`). Throws
 * `NoProcessError`, `PayloadNotCloneableError` or `MailboxFullError` at once; nothing is
 * sent then. To another node, as `cast`.
 */
export function send<N extends RegisteredName>(target: N, message: NamedInfo<N>): void;
export function send<T extends ProcessRef>(target: UnlistedRef<T>, message: unknown): void;
export function send(target: RemoteRef, message: unknown): void;
export function send(target: Address, message: unknown): void {
  sendOneWay('info', target, message);
}

/**
 * Asks a process to stop (OTP's `GenServer.stop/3`): it finishes the messages before
 * this one, runs `terminate(reason)`, and its thread ends. Past `timeoutMs` the thread
 * is killed (exit reason `killed`). Resolves once the thread is gone.
 */
export async function stop(target: ProcessRef, reason: StopReason = 'normal', timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
  validateTimeout(timeoutMs, 'timeoutMs');
  const record = processTable.registry.require(target);
  processTable.deliver(record, envelope.stop(toWireExitReason(exitReasonFrom(reason)), stampTrace()), 'stop reason');
  const timer = startTimeout(timeoutMs, () => {
    processTable.markKilled(record);
    void record.worker.terminate();
  });
  await record.exited;
  if (timer) clearTimeout(timer);
}

/** Ends a process's thread at once, without `terminate` (exit reason `killed`). Resolves once it is gone. */
export async function kill(target: ProcessRef): Promise<void> {
  const record = processTable.registry.require(target);
  processTable.markKilled(record);
  await record.worker.terminate();
  await record.exited;
}

/** The pid registered under `name`, if a process holds it. */
export function whereis(name: string): Pid | undefined {
  const pid = processTable.registry.whereis(name);
  return pid === undefined ? undefined : makePid(pid);
}

/**
 * Calls `listener` once, with the exit reason, when the process exits (OTP's
 * `Process.monitor/1`); a process already on its way out counts. Returns the demonitor.
 * Throws `NoProcessError` if the process's thread is gone.
 */
export function monitor(target: ProcessRef, listener: ExitListener): () => void {
  const record = processTable.registry.require(target, { exiting: true });
  record.monitors.add(listener);
  return () => record.monitors.delete(listener);
}
