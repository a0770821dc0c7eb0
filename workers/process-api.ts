import { ProcessContextError } from '../errors';
import type { From } from '../protocol/gen-server-definition';
import type { Pid, ProcessRef } from '../protocol/pid';
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
  call(target: ProcessRef, message: unknown, options?: ProcessCallOptions): Promise<unknown>;
  cast(target: ProcessRef, message: unknown): void;
  send(target: ProcessRef, message: unknown): void;
  reply(from: From, value: unknown): void;
  sendAfter(delayMs: number, message: unknown): TimerRef;
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
 * `ProcessExitError` or `PayloadNotCloneableError`.
 */
export function call<N extends RegisteredName>(target: N, request: NamedCall<N>, options?: ProcessCallOptions): Promise<NamedReply<N>>;
export function call<Reply = unknown, T extends ProcessRef = ProcessRef>(target: UnlistedRef<T>, request: unknown, options?: ProcessCallOptions): Promise<Reply>;
export function call(target: ProcessRef, request: unknown, options?: ProcessCallOptions): Promise<unknown> {
  return current('call').call(target, request, options);
}

/** Sends a request to another process's `handleCast` without waiting (OTP's `GenServer.cast/2`). */
export function cast<N extends RegisteredName>(target: N, message: NamedCast<N>): void;
export function cast<T extends ProcessRef>(target: UnlistedRef<T>, message: unknown): void;
export function cast(target: ProcessRef, message: unknown): void {
  current('cast').cast(target, message);
}

/** Sends a plain message to another process's `handleInfo` (OTP's `send/2`). */
export function send<N extends RegisteredName>(target: N, message: NamedInfo<N>): void;
export function send<T extends ProcessRef>(target: UnlistedRef<T>, message: unknown): void;
export function send(target: ProcessRef, message: unknown): void {
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
