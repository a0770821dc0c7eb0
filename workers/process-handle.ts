/**
 * Processes started from inside a process: through the main thread's one process table, so
 * pids are unique across the program and the parent's trace context goes to the child's
 * `init`. The handle a process gets is typed by the child's definition, like the main
 * thread's `GenServer`.
 */
import type { StopReason } from '../errors';
import type { CallOf, CastOf, GenServerDefinition, InfoOf, InitArgOf, ReplyOf } from '../protocol/gen-server-definition';
import { toFilePath, type ModulePath } from '../protocol/module-path';
import { makePid, type Pid } from '../protocol/pid';
import type { MonitorRef } from '../protocol/system-messages';
import { call, cast, kill, link, monitor, runtimeRequest, send, stop, unlink, type ProcessCallOptions } from './process-api';

/** Options of a start from inside a process: the main thread's `StartOptions`, and `link`. */
export interface ProcessStartOptions {
  /** Registers the child under this name. */
  readonly name?: string;
  /** How long the child may take to load its module and run `init`. Default 5000 ms. */
  readonly startTimeoutMs?: number;
  /** Default timeout of calls through the handle. Default 5000 ms. */
  readonly callTimeoutMs?: number;
  /** See `StartOptions.maxMailbox`. */
  readonly maxMailbox?: number;
  /** Records the runtime's spans for the child. Default true. */
  readonly autoSpans?: boolean;
  /**
   * Links the child to this process (OTP's `start_link`): either one's abnormal exit takes
   * the other down, unless it traps exits. Default false.
   */
  readonly link?: boolean;
}

/** A process's handle on a process it started (or looked up): typed by its definition. */
export class ProcessHandle<D extends GenServerDefinition = GenServerDefinition> {
  readonly pid: Pid;
  readonly name: string | undefined;
  readonly #callTimeoutMs: number | undefined;

  /** Made by {@link startGenServer} or {@link processHandle}; not for direct use. */
  constructor(pid: Pid, name: string | undefined, callTimeoutMs?: number) {
    this.pid = pid;
    this.name = name;
    this.#callTimeoutMs = callTimeoutMs;
  }

  call(request: CallOf<D>, options?: ProcessCallOptions): Promise<ReplyOf<D>> {
    return call<ReplyOf<D>>(this.pid, request, { timeoutMs: this.#callTimeoutMs, ...options });
  }

  cast(message: CastOf<D>): void {
    cast(this.pid, message);
  }

  send(message: InfoOf<D>): void {
    send(this.pid, message);
  }

  /** See {@link stop}. */
  stop(reason?: StopReason, timeoutMs?: number): Promise<void> {
    return stop(this.pid, reason, timeoutMs);
  }

  kill(): Promise<void> {
    return kill(this.pid);
  }

  /** See {@link monitor}: a `DOWN` message comes to this process when the child exits. */
  monitor(): Promise<MonitorRef> {
    return monitor(this.pid);
  }

  link(): Promise<void> {
    return link(this.pid);
  }

  unlink(): Promise<void> {
    return unlink(this.pid);
  }
}

/** A typed handle on a process this one knows by pid (from a message, a group, `whereis`). */
export function processHandle<D extends GenServerDefinition = GenServerDefinition>(pid: Pid, name?: string): ProcessHandle<D> {
  return new ProcessHandle<D>(makePid(pid.pid), name);
}

/**
 * Starts a GenServer from inside a process, and resolves once its `init` has completed,
 * as `startGenServer` does in the main thread (the main thread starts it, so its pid is
 * unique). With `link: true` it is OTP's `start_link`. Rejects with the main thread's
 * errors (`StartError`, `NameAlreadyRegisteredError`).
 */
export async function startGenServer<D extends GenServerDefinition = GenServerDefinition>(
  modulePath: ModulePath,
  initArg: InitArgOf<D>,
  options: ProcessStartOptions = {},
): Promise<ProcessHandle<D>> {
  const module = toFilePath(modulePath, 'startGenServer(modulePath)');
  const started = await runtimeRequest<{ pid: number; name: string | undefined }>('startGenServer', 'start', { module, initArg, options });
  return new ProcessHandle<D>(makePid(started.pid), started.name, options.callTimeoutMs);
}
