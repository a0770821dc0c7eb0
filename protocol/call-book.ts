/**
 * The calls a thread has made and waits on: each is registered under a ref before it is
 * sent, given a deadline once sent, and settled once, by its answer, its failure or its
 * timeout; an answer that comes after that is dropped. Used alike by the main thread's
 * client and by processes calling other processes. No closure per call beyond the
 * deadline's: this is the hottest path of a call.
 */
import { DeadlineQueue, type Deadline } from './deadline-queue';
import { PendingCalls } from './pending-calls';

/** A call waiting for its answer. The book sets `deadline` and cancels it when the call settles. */
export interface WaitingCall {
  deadline: Deadline | undefined;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class CallBook<C extends WaitingCall> {
  readonly #pending = new PendingCalls<C>();
  /** Every call's timeout, on one timer. */
  readonly #deadlines = new DeadlineQueue();
  readonly #timeoutError: (call: C, timeoutMs: number) => Error;

  /** `timeoutError` makes the error a call that timed out rejects with. */
  constructor(timeoutError: (call: C, timeoutMs: number) => Error) {
    this.#timeoutError = timeoutError;
  }

  /** Registers a call about to be sent; returns its ref. */
  add(call: C): number {
    return this.#pending.add(call);
  }

  /** Forgets a call that could not be sent, without settling it. */
  drop(ref: number): void {
    this.#pending.take(ref);
  }

  /** Arms the deadline of a call that was sent. */
  arm(ref: number, call: C, timeoutMs: number): void {
    call.deadline = this.#deadlines.add(timeoutMs, () => {
      this.#pending.take(ref);
      call.reject(this.#timeoutError(call, timeoutMs));
    });
  }

  /** The answer to call `ref`; dropped if the call timed out already. */
  answer(ref: number, value: unknown): void {
    const call = this.#pending.take(ref);
    if (call === undefined) return;
    call.deadline?.cancel();
    call.resolve(value);
  }

  /** Call `ref` failed before any answer; dropped if it timed out already. */
  fail(ref: number, error: Error): void {
    const call = this.#pending.take(ref);
    if (call === undefined) return;
    call.deadline?.cancel();
    call.reject(error);
  }

  /** Fails every waiting call that `select` picks (their callee exited), each with its own error. */
  failWhere(select: (call: C) => boolean, error: () => Error): void {
    for (const call of this.#pending.takeWhere(select)) {
      call.deadline?.cancel();
      call.reject(error());
    }
  }
}
