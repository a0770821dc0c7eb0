/**
 * The one message protocol between threads: what the main thread and a GenServer's thread
 * say to each other, what a TaskSupervisor and its pool threads say, and what the two ends
 * of a traced endpoint say. Every envelope is keyed on `type` and built here.
 *
 * - Envelopes that start work on the other side carry the sender's trace context
 *   (`trace`) and, when traced, the instant they were sent on the clock every thread
 *   shares (`sentAt`), so the receiver can record how long it waited in its mailbox.
 * - Envelopes going towards the main thread may carry the spans their thread ended since
 *   its last message (`spans`), so they arrive in order, before the reply that ends the
 *   caller's span (see `stamp.ts`).
 * - `flush`, `flushed` and `spans` are the same on every link (see `flush.ts`).
 */
import type { TransferListItem } from 'node:worker_threads';
import type { WireError, WireExitReason } from '../errors';
import type { WireContext } from '../propagation/trace-carrier';
import type { RemoteRef } from './remote-ref';
import type { SpanPacket } from './span-packet';

/** The trace fields of an envelope that starts work. Absent altogether when untraced. */
export interface TraceFields {
  trace?: WireContext;
  /** `process.hrtime.bigint()` when sent; the clock every thread shares. */
  sentAt?: bigint;
}

/** Spans riding along with an envelope towards the thread that exports them. */
/**
 * What a message that the main thread forwards moves (see `move`): the buffers in it that
 * were transferred on the way in, to be transferred again on the way out. The list holds
 * the same objects as the payload, so it costs no copy.
 */
export interface MoveFields {
  readonly transfer?: readonly TransferListItem[];
}

export interface SpanFields {
  spans?: SpanPacket;
}

/** A process as messages name it: its pid number, its registered name, or a process on another node. */
export type WireProcessRef = number | string | RemoteRef;

// --- telemetry housekeeping, the same on every link ---

/** Asks the thread below for every span it holds (and those of its own threads below). */
export interface FlushEnvelope {
  readonly type: 'flush';
  readonly id: number;
  readonly timeoutMs: number;
}

/** Answers a flush: its spans ride along. */
export interface FlushedEnvelope extends SpanFields {
  readonly type: 'flushed';
  readonly id: number;
}

/** Spans on their own: no other message was going up in time to carry them. */
export interface SpansEnvelope extends SpanFields {
  readonly type: 'spans';
}

// --- main thread (or the router, for another process) to a process ---

/** `pid` and `ref` are the caller's `From`, flat (a nested object costs more to clone). */
export interface CallEnvelope extends TraceFields {
  readonly type: 'call';
  readonly pid: number;
  readonly ref: number;
  readonly message: unknown;
}

export interface CastEnvelope extends TraceFields {
  readonly type: 'cast';
  readonly message: unknown;
}

export interface InfoEnvelope extends TraceFields {
  readonly type: 'info';
  readonly message: unknown;
}

export interface StopEnvelope extends TraceFields {
  readonly type: 'stop';
  readonly reason: WireExitReason;
}

/** The answer to a call this process made. */
export interface ReplyInEnvelope {
  readonly type: 'reply';
  readonly ref: number;
  readonly value: unknown;
}

/** A call this process made failed before any reply (no such process, it exited, ...). */
export interface CallFailedEnvelope {
  readonly type: 'call_failed';
  readonly ref: number;
  readonly error: WireError;
}

/** The process this one replaces is gone: `init` may run (see `ProcessStartData.initAfterGo`). */
export interface GoEnvelope {
  readonly type: 'go';
}

/** What a process's mailbox holds. */
export type MailboxEnvelope = CallEnvelope | CastEnvelope | InfoEnvelope | StopEnvelope;

/** Envelopes a process receives. */
/**
 * An exit signal or a monitor's notice for a process (see `system-messages.ts`): it arrives
 * in `handleInfo`, in order with the process's other messages.
 */
export interface SignalEnvelope {
  readonly type: 'signal';
  /** `exit`: a linked process exited (the receiver traps exits). `down`: a monitored one did. */
  readonly kind: 'exit' | 'down';
  readonly pid: number;
  /** The monitor's ref (`down` only). */
  readonly ref?: number;
  readonly reason: WireExitReason;
}

export type ToProcess = MailboxEnvelope | ReplyInEnvelope | CallFailedEnvelope | FlushEnvelope | GoEnvelope | SignalEnvelope;

// --- a process to the main thread ---

export interface ReadyEnvelope extends SpanFields {
  readonly type: 'ready';
  /** The prefix of the process's spans, now that its module is loaded. */
  readonly label: string;
}

/** An answer to the call from `pid` (0: the main thread) with `ref`. */
export interface ReplyOutEnvelope extends SpanFields, MoveFields {
  readonly type: 'reply';
  readonly pid: number;
  readonly ref: number;
  readonly value: unknown;
}

/** The reply could not be delivered (not cloneable); the caller gets this error. */
export interface ReplyFailedEnvelope extends SpanFields {
  readonly type: 'reply_failed';
  readonly pid: number;
  readonly ref: number;
  readonly error: WireError;
}

/** The process is about to end its thread, for this reason. */
export interface ExitEnvelope extends SpanFields {
  readonly type: 'exit';
  readonly reason: WireExitReason;
}

/** A call from this process to another, routed by the main thread. */
export interface RoutedCallEnvelope extends TraceFields, SpanFields, MoveFields {
  readonly type: 'call';
  readonly to: WireProcessRef;
  readonly ref: number;
  readonly message: unknown;
  /** Only to a process on another node: how long the caller waits, which the node passes on. */
  readonly timeoutMs?: number;
}

/** A cast or a plain message from this process to another, routed by the main thread. */
export interface RoutedMessageEnvelope extends TraceFields, SpanFields, MoveFields {
  readonly type: 'cast' | 'info';
  readonly to: WireProcessRef;
  readonly message: unknown;
}

/** Envelopes a process sends. */
/**
 * A process asks the main thread to do what only it can (start a process, link, monitor,
 * run a task, join a group, ...): `op` names the operation, `args` its arguments; the answer
 * comes back as the reply to `ref`, like a call's. The trace context goes along.
 */
export interface RuntimeRequestEnvelope extends TraceFields, SpanFields, MoveFields {
  readonly type: 'runtime';
  readonly ref: number;
  readonly op: string;
  readonly args: unknown;
}

export type FromProcess =
  | ReadyEnvelope
  | RuntimeRequestEnvelope
  | ReplyOutEnvelope
  | ReplyFailedEnvelope
  | ExitEnvelope
  | SpansEnvelope
  | FlushedEnvelope
  | RoutedCallEnvelope
  | RoutedMessageEnvelope;

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
  /** The thread starts now, and `init` waits for a `go` envelope (see `StartOptions.initAfter`). */
  readonly initAfterGo?: boolean;
  /** With a `maxMailbox`, or metrics or the live view on: where the process counts the messages it takes (see `MailboxTakes`). */
  readonly mailboxTaken?: SharedArrayBuffer;
  /** With metrics or the live view on: where it writes its heap and handling times (see `GaugeWriter`). */
  readonly gauges?: SharedArrayBuffer;
}

// --- a TaskSupervisor and its pool threads ---

/** One task, as a pool thread receives it. A task names a module and an export. */
export interface TaskRequest {
  readonly module: string;
  readonly export: string;
  /** `call`: the export called once with `args`. `map`: called once per item of `args`, in order. */
  readonly mode: 'call' | 'map';
  readonly args: readonly unknown[];
  readonly trace: WireContext;
  /** Whether the host records its run span. */
  readonly autoSpans: boolean;
  /** The task's slot in the shared {@link TaskSlots} table, set when it is handed to a thread. */
  slot: number;
}

/** Several tasks for one thread, run one at a time, in order. */
export interface BundleEnvelope {
  readonly type: 'bundle';
  readonly tasks: readonly TaskRequest[];
}

/** Warm-up: holds the thread until `threads` threads have joined the counter. */
export interface BarrierEnvelope {
  readonly type: 'barrier';
  readonly counter: SharedArrayBuffer;
  readonly threads: number;
}

/** What a pool thread's handler is given. */
export type ToTaskThread = BundleEnvelope | BarrierEnvelope;

/** How one task ended; `micros` is how long it ran, which sizes later bundles. */
export type TaskResponse =
  | { readonly ok: true; readonly value: unknown; readonly micros: number }
  | { readonly ok: false; readonly error: WireError; readonly micros: number };

/** A bundle's results, in its order (`null`: cancelled before it started), with the thread's spans. */
export interface BundleDoneEnvelope extends SpanFields {
  readonly type: 'bundle_done';
  readonly results: ReadonlyArray<TaskResponse | null>;
}

/** What every thread of a TaskSupervisor's pool gets as `workerData`. */
export interface TaskHostData {
  readonly supervisorName: string;
  /** The shared {@link TaskSlots} table. */
  readonly slots: SharedArrayBuffer;
}

// --- the two ends of a traced endpoint (a port the application owns) ---

/**
 * Marks what a traced endpoint sends, so that messages posted to the same port by code
 * that does not go through one pass unchanged. A string key: symbols do not survive
 * structured cloning.
 */
export const ENDPOINT_MARK = '__worker_otp';

/** An application message with the sender's context. */
export interface EndpointMessageEnvelope extends TraceFields, SpanFields {
  readonly type: 'message';
  readonly payload: unknown;
}

/** What travels on a traced endpoint. */
export type EndpointEnvelope = (EndpointMessageEnvelope | SpansEnvelope | FlushEnvelope | FlushedEnvelope) & { readonly [ENDPOINT_MARK]: 1 };

export function isEndpointEnvelope(data: unknown): data is EndpointEnvelope {
  return typeof data === 'object' && data !== null && (data as Record<string, unknown>)[ENDPOINT_MARK] === 1;
}

// --- builders: the one place envelopes are made ---

/** An untraced envelope has no trace fields at all: nothing to clone. */
export const NO_TRACE: TraceFields = Object.freeze({});

export const envelope = {
  call: (pid: number, ref: number, message: unknown, trace: TraceFields = NO_TRACE): CallEnvelope =>
    trace === NO_TRACE ? { type: 'call', pid, ref, message } : { type: 'call', pid, ref, message, ...trace },
  cast: (message: unknown, trace: TraceFields = NO_TRACE): CastEnvelope => (trace === NO_TRACE ? { type: 'cast', message } : { type: 'cast', message, ...trace }),
  info: (message: unknown, trace: TraceFields = NO_TRACE): InfoEnvelope => (trace === NO_TRACE ? { type: 'info', message } : { type: 'info', message, ...trace }),
  stop: (reason: WireExitReason, trace: TraceFields = NO_TRACE): StopEnvelope => ({ type: 'stop', reason, ...trace }),
  replyIn: (ref: number, value: unknown): ReplyInEnvelope => ({ type: 'reply', ref, value }),
  callFailed: (ref: number, error: WireError): CallFailedEnvelope => ({ type: 'call_failed', ref, error }),
  go: (): GoEnvelope => ({ type: 'go' }),
  flush: (id: number, timeoutMs: number): FlushEnvelope => ({ type: 'flush', id, timeoutMs }),
  flushed: (id: number): FlushedEnvelope => ({ type: 'flushed', id }),
  spans: (spans: SpanPacket): SpansEnvelope => ({ type: 'spans', spans }),
  ready: (label: string): ReadyEnvelope => ({ type: 'ready', label }),
  replyOut: (pid: number, ref: number, value: unknown, transfer?: readonly TransferListItem[]): ReplyOutEnvelope =>
    transfer ? { type: 'reply', pid, ref, value, transfer } : { type: 'reply', pid, ref, value },
  replyFailed: (pid: number, ref: number, error: WireError): ReplyFailedEnvelope => ({ type: 'reply_failed', pid, ref, error }),
  exit: (reason: WireExitReason): ExitEnvelope => ({ type: 'exit', reason }),
  runtimeRequest: (ref: number, op: string, args: unknown, trace: TraceFields, transfer?: readonly TransferListItem[]): RuntimeRequestEnvelope =>
    transfer ? { type: 'runtime', ref, op, args, transfer, ...trace } : { type: 'runtime', ref, op, args, ...trace },
  signal: (kind: 'exit' | 'down', pid: number, reason: WireExitReason, ref?: number): SignalEnvelope =>
    ref === undefined ? { type: 'signal', kind, pid, reason } : { type: 'signal', kind, pid, ref, reason },
  routedCall: (to: WireProcessRef, ref: number, message: unknown, trace: TraceFields, transfer?: readonly TransferListItem[]): RoutedCallEnvelope =>
    transfer ? { type: 'call', to, ref, message, transfer, ...trace } : { type: 'call', to, ref, message, ...trace },
  routedMessage: (kind: 'cast' | 'info', to: WireProcessRef, message: unknown, trace: TraceFields, transfer?: readonly TransferListItem[]): RoutedMessageEnvelope =>
    transfer ? { type: kind, to, message, transfer, ...trace } : { type: kind, to, message, ...trace },
  /** A routed call as the callee receives it: from the calling process. */
  forwardedCall: (from: { readonly pid: number; readonly ref: number }, routed: RoutedCallEnvelope): CallEnvelope =>
    ({ type: 'call', pid: from.pid, ref: from.ref, message: routed.message, trace: routed.trace, sentAt: routed.sentAt }),
  forwardedMessage: (routed: RoutedMessageEnvelope): CastEnvelope | InfoEnvelope =>
    ({ type: routed.type, message: routed.message, trace: routed.trace, sentAt: routed.sentAt }),
  bundle: (tasks: readonly TaskRequest[]): BundleEnvelope => ({ type: 'bundle', tasks }),
  barrier: (counter: SharedArrayBuffer, threads: number): BarrierEnvelope => ({ type: 'barrier', counter, threads }),
  bundleDone: (results: ReadonlyArray<TaskResponse | null>): BundleDoneEnvelope => ({ type: 'bundle_done', results }),
  endpoint: <E extends EndpointMessageEnvelope | SpansEnvelope | FlushEnvelope | FlushedEnvelope>(inner: E): E & { readonly [ENDPOINT_MARK]: 1 } => ({
    ...inner,
    [ENDPOINT_MARK]: 1 as const,
  }),
  endpointMessage: (payload: unknown, trace: TraceFields = NO_TRACE): EndpointMessageEnvelope & { readonly [ENDPOINT_MARK]: 1 } =>
    ({ [ENDPOINT_MARK]: 1, type: 'message', payload, ...trace }),
};
