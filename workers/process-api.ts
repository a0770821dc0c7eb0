import { ProcessContextError, type StopReason } from '../errors';
import type { From } from '../protocol/gen-server-definition';
import { makePid, type Address, type Pid, type ProcessRef } from '../protocol/pid';
import type { RemoteRef } from '../protocol/remote-ref';
import type { MonitorRef } from '../protocol/system-messages';
import type { NamedCall, NamedCast, NamedInfo, NamedReply, RegisteredName, UnlistedRef } from '../protocol/registered-names';

/** Options of a call made from inside a process. */
export interface ProcessCallOptions {
  /** How long to wait for the reply, in ms. Default 5000 (OTP's default). */
  readonly timeoutMs?: number;
}

/** A scheduled message, as `sendAfter` returns it. */
export interface TimerRef {
  /** Cancels the message if it has not been delivered yet; returns whether it was. */
  cancel(): boolean;
}

/** What the GenServer host provides to the process API of its thread. */
export interface ProcessRuntime {
  self(): Pid;
  call(target: Address, message: unknown, options?: ProcessCallOptions): Promise<unknown>;
  cast(target: Address, message: unknown): void;
  send(target: Address, message: unknown): void;
  reply(from: From, value: unknown): void;
  sendAfter(delayMs: number, message: unknown): TimerRef;
  /** Asks the main thread to do `op` (see `RuntimeRequestEnvelope`). */
  request(op: string, args: unknown): Promise<unknown>;
}

/**
 * The GenServer host of this thread, on `globalThis` so that a copy of worker-otp's
 * modules an application module loads in the thread reaches it too.
 */
const KEY = Symbol.for('worker-otp.process-runtime');
const registry = globalThis as { [KEY]?: ProcessRuntime | undefined };

/** Installed by the GenServer host of this thread. */
export function installProcessRuntime(host: ProcessRuntime): void {
  registry[KEY] = host;
}

/** @internal Asks the main thread to do `op` for this process; `operation` names it in errors. */
export function runtimeRequest<R>(operation: string, op: string, args: unknown): Promise<R> {
  try {
    return current(operation).request(op, args) as Promise<R>;
  } catch (error) {
    return Promise.reject(error);
  }
}

function current(operation: string): ProcessRuntime {
  const runtime = registry[KEY];
  if (runtime === undefined) throw ProcessContextError.outsideProcess(operation);
  return runtime;
}

/** This process's pid. */
export function self(): Pid {
  return current('self').self();
}

/**
 * Calls another process and waits for its reply (OTP's `GenServer.call/3`). The trace
 * context follows the call. Rejects with `CallTimeoutError`, `NoProcessError`,
 * `ProcessExitError` or `PayloadNotCloneableError`. `{ name, node }` and `{ global: name }`
 * reach processes on other nodes, through the main thread's cluster node.
 */
export function call<N extends RegisteredName>(target: N, request: NamedCall<N>, options?: ProcessCallOptions): Promise<NamedReply<N>>;
export function call<Reply = unknown, T extends ProcessRef = ProcessRef>(target: UnlistedRef<T>, request: unknown, options?: ProcessCallOptions): Promise<Reply>;
export function call<Reply = unknown>(target: RemoteRef, request: unknown, options?: ProcessCallOptions): Promise<Reply>;
export function call(target: Address, request: unknown, options?: ProcessCallOptions): Promise<unknown> {
  return current('call').call(target, request, options);
}

/** Sends a request to another process's `handleCast` without waiting (OTP's `GenServer.cast/2`). */
export function cast<N extends RegisteredName>(target: N, message: NamedCast<N>): void;
export function cast<T extends ProcessRef>(target: UnlistedRef<T>, message: unknown): void;
export function cast(target: RemoteRef, message: unknown): void;
export function cast(target: Address, message: unknown): void {
  current('cast').cast(target, message);
}

/** Sends a plain message to another process's `handleInfo` (OTP's `send/2`). */
export function send<N extends RegisteredName>(target: N, message: NamedInfo<N>): void;
export function send<T extends ProcessRef>(target: UnlistedRef<T>, message: unknown): void;
export function send(target: RemoteRef, message: unknown): void;
export function send(target: Address, message: unknown): void {
  current('send').send(target, message);
}

/**
 * Answers a call later, from `handleCall`'s `from` (OTP's `GenServer.reply/2`): return
 * `{ noreply: true, state }` from `handleCall`, keep `from`, reply when ready.
 */
export function reply(from: From, value: unknown): void {
  current('reply').reply(from, value);
}

/**
 * Delivers `message` to this process's own `handleInfo` after `delayMs` (OTP's
 * `Process.send_after/3`), inside the trace context current when it was scheduled.
 */
export function sendAfter(delayMs: number, message: unknown): TimerRef {
  return current('sendAfter').sendAfter(delayMs, message);
}

/** How a process names another in a request: a pid number or a name. */
function wire(target: ProcessRef): number | string {
  return typeof target === 'string' ? target : target.pid;
}

/**
 * Links this process to another (OTP's `link/1`): when either exits abnormally, the other
 * exits too, with the same reason, unless it traps exits (see {@link trapExits}). A
 * `normal` exit does not spread. Rejects with `NoProcessError` if the other is not running
 * (trapping exits, an `EXIT` message with reason `noproc` comes instead).
 */
export function link(target: ProcessRef): Promise<void> {
  return runtimeRequest('link', 'link', { target: wire(target) });
}

/** Removes a link (OTP's `unlink/1`); nothing happens if there was none. */
export function unlink(target: ProcessRef): Promise<void> {
  return runtimeRequest('unlink', 'unlink', { target: wire(target) });
}

/**
 * Traps exits (OTP's `process_flag(trap_exit, true)`): a linked process's exit arrives in
 * `handleInfo` as an `ExitMessage` instead of ending this process. Resolves with the
 * previous setting.
 */
export function trapExits(on: boolean): Promise<boolean> {
  return runtimeRequest('trapExits', 'trap_exits', { on });
}

/**
 * Monitors a process (OTP's `Process.monitor/1`): when it exits, a `DownMessage`
 * with this ref and the reason arrives in `handleInfo` (at once, reason `noproc`, if it is
 * not running). Resolves with the ref.
 */
export function monitor(target: ProcessRef): Promise<MonitorRef> {
  return runtimeRequest('monitor', 'monitor', { target: wire(target) });
}

/** Removes a monitor; resolves with whether it was still set (its `DOWN` had not come). */
export function demonitor(ref: MonitorRef): Promise<boolean> {
  return runtimeRequest('demonitor', 'demonitor', { ref });
}

/**
 * Registers this process under a cluster-wide name (Erlang's `:global.register_name`),
 * through the main thread's cluster node: the first registration wins; the name is freed
 * when this process exits or its node goes down. Rejects with `NameAlreadyRegisteredError`
 * (its `node` says where the holder runs), or `ClusterError` when the program is no node.
 */
export function registerGlobal(name: string): Promise<void> {
  return runtimeRequest('registerGlobal', 'global.register', { name });
}

/** Frees a cluster-wide name registered on this process's node. */
export function unregisterGlobal(name: string): Promise<void> {
  return runtimeRequest('unregisterGlobal', 'global.unregister', { name });
}

/** Where a cluster-wide name is registered (`{ node, pid }`), as this node last heard. */
export function whereisGlobal(name: string): Promise<{ readonly node: string; readonly pid: number } | undefined> {
  return runtimeRequest('whereisGlobal', 'global.whereis', { name });
}

/** The pid registered under `name`, if a process holds it. */
export async function whereis(name: string): Promise<Pid | undefined> {
  const pid = await runtimeRequest<number | undefined>('whereis', 'whereis', { name });
  return pid === undefined ? undefined : makePid(pid);
}

/**
 * Asks another process to stop (OTP's `GenServer.stop/3`) and resolves once it is gone;
 * past `timeoutMs` (default 5000) it is killed. A process cannot stop itself this way:
 * return `{ stop: reason, state }` from a callback instead.
 */
export function stop(target: ProcessRef, reason: StopReason = 'normal', timeoutMs?: number): Promise<void> {
  return runtimeRequest('stop', 'stop', { target: wire(target), reason, timeoutMs });
}

/** Ends a process at once, without `terminate` (exit reason `killed`); resolves once it is gone. */
export function kill(target: ProcessRef): Promise<void> {
  return runtimeRequest('kill', 'kill', { target: wire(target) });
}
