import type { Worker } from 'node:worker_threads';
import { diag, type SpanContext } from '@opentelemetry/api';
import { describeValue, fromWireError, toWireError } from '../propagation/error-wire';
import { NoProcessError, PayloadNotCloneableError, ProcessExitError, isDataCloneError } from '../propagation/errors';
import { FlushRequests } from '../propagation/flush-requests';
import { KILLED, describeExitReason, fromWireExitReason, type ExitReason } from '../propagation/exit-reason';
import type { From } from '../propagation/gen-server-definition';
import type { FromProcess, ToProcess, WireProcessRef } from '../propagation/process-protocol';
import { PendingCalls } from '../propagation/pending-calls';
import { markOfPacket } from '../propagation/span-packet';
import { getThreadSpanRelay } from '../propagation/span-relay';
import { formatPid, type ProcessRef } from './pid';

/** Told once when a process exits, with why. */
export type ExitListener = (reason: ExitReason, pid: number) => void;

/** A call from the main thread waiting for its reply. */
export interface PendingCall {
  /** The process called; its exit fails the call. */
  readonly callee: ProcessRecord;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The main thread's record of one live process. */
export interface ProcessRecord {
  readonly pid: number;
  readonly name: string | undefined;
  readonly worker: Worker;
  /** The thread's id (`thread.id` on its spans); kept after exit, when the Worker reports -1. */
  readonly threadId: number;
  readonly autoSpans: boolean;
  /** The span prefix, as the process reported it once ready. */
  label: string;
  /** The last span its thread sent, preferring a failed one: what a restart span links to. */
  lastSpan: SpanContext | undefined;
  /** Set once the process said why it exits, or the runtime decided (kill, timeout). */
  exitReason: ExitReason | undefined;
  /** Resolves once the process has said it exits (or was killed): it handles no more messages. */
  readonly exiting: Promise<ExitReason>;
  /** Resolves when the thread is gone and everyone has been told. */
  readonly exited: Promise<ExitReason>;
  /** Calls from other processes delivered to it and not yet answered, by `fromKey`. */
  readonly inFlight: Map<string, From>;
  readonly monitors: Set<ExitListener>;
  /** Startup: called when `init` has completed. */
  onReady: (() => void) | undefined;
}

/** The pid of the main thread in a `From`. */
export const MAIN_PID = 0;
const fromKey = (from: From) => `${from.pid}:${from.ref}`;

/**
 * The main thread's table of processes: pids, registered names, and the routing of every
 * envelope between the main thread and process threads (and from one process to another,
 * which goes through here). It is also where callers learn, at once, that the process
 * they wait on has exited.
 */
export class ProcessTable {
  readonly #processes = new Map<number, ProcessRecord>();
  readonly #names = new Map<string, number>();
  /** Resolves each live record's `exiting`. */
  readonly #announceExit = new WeakMap<ProcessRecord, (reason: ExitReason) => void>();
  readonly #flushes = new FlushRequests();
  #nextPid = 1;
  /** Main-thread calls not yet answered, with the process each was made to. */
  readonly #mainCalls = new PendingCalls<PendingCall>();

  /** Takes the next pid number. */
  allocatePid(): number {
    return this.#nextPid++;
  }

  /** The pid a name is registered to. */
  whereis(name: string): number | undefined {
    return this.#names.get(name);
  }

  /** The record a pid or name stands for, if that process is live and not exiting. */
  resolve(target: ProcessRef | WireProcessRef): ProcessRecord | undefined {
    const record = this.#lookup(target);
    return record && record.exitReason === undefined ? record : undefined;
  }

  /** Like `resolve`, but throws `NoProcessError`. With `exiting`, a process on its way out counts too. */
  require(target: ProcessRef | WireProcessRef, options?: { exiting?: boolean }): ProcessRecord {
    const record = options?.exiting ? this.#lookup(target) : this.resolve(target);
    if (record === undefined) throw new NoProcessError(describeTarget(target));
    return record;
  }

  #lookup(target: ProcessRef | WireProcessRef): ProcessRecord | undefined {
    const pid = typeof target === 'string' ? this.#names.get(target) : typeof target === 'number' ? target : target?.pid;
    return pid === undefined ? undefined : this.#processes.get(pid);
  }

  /**
   * Adds a process whose thread was just created, with its name registered (the caller
   * checked the name is free). Wires its messages and its exit.
   */
  add(pid: number, name: string | undefined, worker: Worker, autoSpans: boolean, label: string): ProcessRecord {
    let markExited!: (reason: ExitReason) => void;
    let markExiting!: (reason: ExitReason) => void;
    const record: ProcessRecord = {
      pid,
      name,
      worker,
      threadId: worker.threadId,
      autoSpans,
      label,
      lastSpan: undefined,
      exitReason: undefined,
      exiting: new Promise<ExitReason>((resolve) => (markExiting = resolve)),
      exited: new Promise<ExitReason>((resolve) => (markExited = resolve)),
      inFlight: new Map(),
      monitors: new Set(),
      onReady: undefined,
    };
    this.#processes.set(pid, record);
    this.#announceExit.set(record, markExiting);
    if (name !== undefined) this.#names.set(name, pid);
    const unregisterFlush = getThreadSpanRelay()?.addDownstream({ requestFlush: (timeoutMs) => this.#requestFlush(record, timeoutMs) });
    worker.on('message', (message: FromProcess) => this.#receive(record, message));
    worker.on('error', (error: Error & { code?: string }) => {
      // An uncaught error outside any callback, or the heap limit: the thread is dying.
      this.#markExiting(record, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { type: 'out_of_memory' } : { type: 'error', error });
    });
    worker.once('exit', (code: number) => {
      unregisterFlush?.();
      this.#markExiting(record, { type: 'error', error: new Error(`the thread of ${formatPid(pid)} exited with code ${code} without saying why`) });
      this.#processes.delete(pid);
      if (name !== undefined && this.#names.get(name) === pid) this.#names.delete(name);
      const reason = record.exitReason!;
      for (const listener of [...record.monitors]) {
        try {
          listener(reason, pid);
        } catch (error) {
          diag.error(`worker-otp: an exit listener of ${formatPid(pid)} threw`, error);
        }
      }
      record.monitors.clear();
      markExited(reason);
    });
    return record;
  }

  /** Posts an envelope to a process; a payload that cannot be cloned throws a typed error. */
  deliver(record: ProcessRecord, envelope: ToProcess, what: string): void {
    try {
      record.worker.postMessage(envelope);
    } catch (error) {
      throw isDataCloneError(error) ? new PayloadNotCloneableError(what, error) : error;
    }
  }

  /** Registers a main-thread call; returns its ref (the caller's `from` is `{ pid: MAIN_PID, ref }`). */
  openCall(call: PendingCall): number {
    return this.#mainCalls.add(call);
  }

  /** Forgets a main-thread call (timed out, or not sent): a reply arriving later is dropped. */
  closeCall(ref: number): void {
    this.#mainCalls.take(ref);
  }

  /** Records why a process is about to exit, unless it already said; callers are told at once. */
  markKilled(record: ProcessRecord): void {
    this.#markExiting(record, KILLED);
  }

  #markExiting(record: ProcessRecord, reason: ExitReason): void {
    if (record.exitReason !== undefined) return;
    record.exitReason = reason;
    // An exiting process handles no more messages: its name is free for a successor now.
    if (record.name !== undefined && this.#names.get(record.name) === record.pid) this.#names.delete(record.name);
    const cause = reason.type === 'error' ? reason.error : undefined;
    const exitError = () => new ProcessExitError({ pid: record.pid, name: record.name }, reason, describeExitReason(reason), cause);
    for (const call of this.#mainCalls.takeWhere((waiting) => waiting.callee === record)) call.reject(exitError());
    for (const from of record.inFlight.values()) this.#answerProcess(from, { error: exitError() });
    record.inFlight.clear();
    this.#announceExit.get(record)?.(reason);
    this.#announceExit.delete(record);
  }

  /** Answers a process whose call went through here. */
  #answerProcess(from: From, answer: { value: unknown } | { error: Error }): void {
    const caller = this.#processes.get(from.pid);
    if (caller === undefined || caller.exitReason !== undefined) return;
    try {
      this.deliver(
        caller,
        'error' in answer ? { type: 'call_failed', ref: from.ref, error: toWireError(answer.error) } : { type: 'reply', ref: from.ref, value: answer.value },
        'reply',
      );
    } catch (error) {
      this.deliver(caller, { type: 'call_failed', ref: from.ref, error: toWireError(error) }, 'reply');
    }
  }

  #receive(record: ProcessRecord, message: FromProcess): void {
    if (message.spans) {
      getThreadSpanRelay()?.accept(message.spans);
      const mark = markOfPacket(message.spans);
      if (mark) record.lastSpan = { traceId: mark.traceId, spanId: mark.spanId, traceFlags: mark.traceFlags };
    }
    switch (message.type) {
      case 'spans':
        return;
      case 'ready':
        record.label = message.label;
        record.onReady?.();
        return;
      case 'exit':
        this.#markExiting(record, fromWireExitReason(message.reason));
        return;
      case 'flushed':
        this.#flushes.acknowledge(message.id);
        return;
      case 'reply':
      case 'reply_failed': {
        if (message.pid !== MAIN_PID) {
          const to: From = { pid: message.pid, ref: message.ref };
          record.inFlight.delete(fromKey(to));
          this.#answerProcess(to, message.type === 'reply' ? { value: message.value } : { error: fromWireError(message.error) });
          return;
        }
        // Usually from the called process; one it handed `from` to may answer instead.
        const call = this.#mainCalls.take(message.ref);
        if (call === undefined) return; // timed out already: the late reply is dropped
        if (message.type === 'reply') call.resolve(message.value);
        else call.reject(fromWireError(message.error));
        return;
      }
      case 'call': {
        const from: From = { pid: record.pid, ref: message.ref };
        const target = this.resolve(message.to);
        if (target === undefined) {
          this.#answerProcess(from, { error: new NoProcessError(describeTarget(message.to)) });
          return;
        }
        target.inFlight.set(fromKey(from), from);
        this.#forward(target, { type: 'call', pid: from.pid, ref: from.ref, message: message.message, trace: message.trace, sentAt: message.sentAt }, from);
        return;
      }
      case 'cast':
      case 'info': {
        const target = this.resolve(message.to);
        if (target === undefined) {
          diag.debug(`worker-otp: ${record.label} sent a ${message.type} to ${describeTarget(message.to)}, which is not running; dropped`);
          return;
        }
        this.#forward(target, { type: message.type, message: message.message, trace: message.trace, sentAt: message.sentAt });
      }
    }
  }

  /** Forwards a process's message to another; it was cloneable once, so failures here are rare. */
  #forward(target: ProcessRecord, envelope: ToProcess, from?: From): void {
    try {
      this.deliver(target, envelope, 'message');
    } catch (error) {
      if (from) {
        target.inFlight.delete(fromKey(from));
        this.#answerProcess(from, { error: error as Error });
      }
    }
  }

  #requestFlush(record: ProcessRecord, timeoutMs: number): Promise<void> {
    if (record.exitReason !== undefined) return Promise.resolve();
    return this.#flushes.request(
      timeoutMs,
      (id) => {
        // A process that exits meanwhile has sent what it had: its exit message carried it.
        void record.exited.then(() => this.#flushes.acknowledge(id));
        this.deliver(record, { type: 'flush', id, timeoutMs }, 'flush request');
      },
      () => diag.warn(`worker-otp telemetry: ${record.label} (${formatPid(record.pid)}) did not send its spans within ${timeoutMs} ms`),
    );
  }
}

function describeTarget(target: ProcessRef | WireProcessRef): string {
  if (typeof target === 'string') return target;
  if (typeof target === 'number') return formatPid(target);
  return target && typeof target === 'object' && 'pid' in target ? formatPid(target.pid) : describeValue(target);
}

/** The one table of this process (the OS process: all threads share it through the main thread). */
export const processTable = new ProcessTable();
