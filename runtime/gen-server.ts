import type { SpanContext } from '@opentelemetry/api';
import type { ExitReason, StopReason } from '../errors';
import type { CallOf, CastOf, GenServerDefinition, InfoOf, ReplyOf } from '../protocol/gen-server-definition';
import { makePid, type Pid } from '../protocol/pid';
import { DEFAULT_STOP_TIMEOUT_MS, callProcess, cast, kill, monitor, send, stop, type CallOptions } from './client';
import type { ExitListener, ProcessRecord } from './process-record';

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

  /** Made by {@link startGenServer}; not for direct use. */
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
    return callProcess<ReplyOf<D>>(this.#record, request, options, this.#callTimeoutMs);
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
