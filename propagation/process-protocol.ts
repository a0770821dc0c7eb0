/**
 * The one wire protocol between the main thread and a GenServer's thread. Every envelope
 * is keyed on `type`; those that start work carry the sender's trace context (`trace`)
 * and, when traced, the shared-clock instant they were sent (`sentAt`, to measure the
 * time spent waiting in the mailbox). Any envelope from a process may carry the spans
 * that thread ended since its last message (`spans`), so they arrive in order, before
 * the reply that ends the caller's span.
 */
import type { WireError } from './error-wire';
import type { WireExitReason } from './exit-reason';
import type { SpanPacket } from './span-packet';
import type { WireContext } from './trace-carrier';

/** Erlang-style display of a pid number: `<0.42>`. */
export function formatPid(pid: number): string {
  return `<0.${pid}>`;
}

/** A process as messages name it: its pid number, or its registered name. */
export type WireProcessRef = number | string;

/** What the main thread gives a GenServer's thread at spawn (its `workerData`). */
export interface ProcessStartData {
  readonly modulePath: string;
  readonly initArg: unknown;
  readonly pid: number;
  readonly name: string | undefined;
  /** Prefix of automatic spans when neither a name nor the module gives one. */
  readonly defaultLabel: string;
  /** Whether the runtime records its automatic spans for this process. */
  readonly autoSpans: boolean;
  /** The context `start` was called in: `init` runs inside it. */
  readonly trace: WireContext;
  /**
   * Set for a restart: the thread starts while the one it replaces is still ending, and
   * `init` waits for a `go` envelope, sent once that thread is gone.
   */
  readonly initAfterGo?: boolean;
}

interface Traced {
  trace?: WireContext;
  /** `process.hrtime.bigint()` when sent; the clock every thread shares. */
  sentAt?: bigint;
}

/** Envelopes a process receives. */
export type ToProcess =
  /** `pid` and `ref` are the caller's `From`, flat (a nested object costs more to clone). */
  | ({ type: 'call'; pid: number; ref: number; message: unknown } & Traced)
  | ({ type: 'cast'; message: unknown } & Traced)
  | ({ type: 'info'; message: unknown } & Traced)
  | ({ type: 'stop'; reason: WireExitReason } & Traced)
  /** The answer to a call this process made. */
  | { type: 'reply'; ref: number; value: unknown }
  /** A call this process made failed before any reply (no such process, it exited, ...). */
  | { type: 'call_failed'; ref: number; error: WireError }
  /** Asks for every span the thread holds, for a flush. */
  | { type: 'flush'; id: number; timeoutMs: number }
  /** The process this one replaces is gone: `init` may run (see `initAfterGo`). */
  | { type: 'go' };

interface CarriesSpans {
  spans?: SpanPacket;
}

/** Envelopes a process sends. */
export type FromProcess = (
  | { type: 'ready'; label: string }
  /** An answer to the call from `pid` (0: the main thread) with `ref`. */
  | { type: 'reply'; pid: number; ref: number; value: unknown }
  /** The reply could not be delivered (not cloneable); the caller gets this error. */
  | { type: 'reply_failed'; pid: number; ref: number; error: WireError }
  /** The process is about to end its thread, for this reason. */
  | { type: 'exit'; reason: WireExitReason }
  | { type: 'spans' }
  | { type: 'flushed'; id: number }
  /** A call, cast or message from this process to another, routed by the main thread. */
  | ({ type: 'call'; to: WireProcessRef; ref: number; message: unknown } & Traced)
  | ({ type: 'cast'; to: WireProcessRef; message: unknown } & Traced)
  | ({ type: 'info'; to: WireProcessRef; message: unknown } & Traced)
) &
  CarriesSpans;
