import { diag } from '@opentelemetry/api';
import { CallTimeoutError, KILLED, ProcessExitError, thrownReason, describeExitReason, formatPid, fromWireError, fromWireExitReason, toWireExitReason, type ExitReason } from '../errors';
import { CallBook } from '../protocol/call-book';
import { envelope, type FromProcess, type ToProcess } from '../protocol/envelopes';
import { FlushRequests } from '../protocol/flush';
import { portOf } from '../protocol/port';
import { threadOutbox } from '../protocol/span-outbox';
import { markOfPacket } from '../protocol/span-packet';
import { openSpans } from '../protocol/stamp';
import type { ClientCall } from '../telemetry/record/client-call';
import { MessageRouter } from './message-router';
import { ProcessGroups } from './process-groups';
import { RuntimeRequests } from './runtime-requests';
import { MAIN_PID, type ProcessRecord } from './process-record';
import { ProcessRegistry } from './process-registry';

/** A call from the main thread waiting for its reply; its callee's exit fails it. */
export type MainCall = ClientCall<ProcessRecord>;

/**
 * The main thread's table of processes: it registers each process's thread, routes what
 * the thread sends (replies, spans, calls to other processes), and tells everyone waiting
 * on a process, at once, when it exits.
 */
export class ProcessTable {
  readonly registry = new ProcessRegistry();
  readonly router = new MessageRouter(this.registry);
  /** Told of each process ready (its `init` done), each process gone, each main-thread call timed out: metrics and diagnostics listen. */
  readonly watchers = {
    ready: new Set<(record: ProcessRecord) => void>(),
    gone: new Set<(record: ProcessRecord, reason: ExitReason) => void>(),
    callTimedOut: new Set<(callee: ProcessRecord) => void>(),
  };
  /** Calls the main thread made and waits on. */
  readonly mainCalls = new CallBook<MainCall>((call, timeoutMs) => {
    for (const watcher of this.watchers.callTimedOut) watcher(call.callee);
    return new CallTimeoutError({ pid: call.callee.pid, name: call.callee.name }, timeoutMs);
  });
  /** Resolves each live record's `exiting`. */
  readonly #announceExit = new WeakMap<ProcessRecord, (reason: ExitReason) => void>();
  /** Process groups: a process leaves its groups when it exits. */
  readonly groups = new ProcessGroups();
  /** What processes ask the main thread to do for them. */
  readonly requests = new RuntimeRequests((caller, ref, answer, transfer) => this.router.answer({ pid: caller.pid, ref }, answer, transfer));

  /**
   * Adds a process whose thread was just created, with its name registered (the caller
   * checked the name is free). Wires its messages and its exit.
   */
  add(process: Pick<ProcessRecord, 'pid' | 'name' | 'worker' | 'autoSpans' | 'label' | 'mailbox' | 'gauges' | 'modulePath'>): ProcessRecord {
    const { pid, worker } = process;
    let markExited!: (reason: ExitReason) => void;
    let markExiting!: (reason: ExitReason) => void;
    const record: ProcessRecord = {
      ...process,
      startedAt: Date.now(),
      port: portOf(worker),
      threadId: worker.threadId,
      lastSpan: undefined,
      exitReason: undefined,
      exiting: new Promise<ExitReason>((resolve) => (markExiting = resolve)),
      exited: new Promise<ExitReason>((resolve) => (markExited = resolve)),
      inFlight: new Map(),
      monitors: new Set(),
      links: new Set(),
      trapExits: false,
      onReady: undefined,
    };
    this.registry.add(record);
    this.#announceExit.set(record, markExiting);
    // One set of flush requests per process, settled all at once when it exits: no
    // listener per request (20,000 flushes over four processes kept ~25 MB that way).
    const flushes = new FlushRequests();
    const unregisterFlush = threadOutbox()?.addDownstream({ requestFlush: (timeoutMs) => this.#requestFlush(record, flushes, timeoutMs) });
    worker.on('message', (message: FromProcess) => this.#receive(record, flushes, message));
    worker.on('error', (error: unknown) => {
      // An uncaught error outside any callback (any value), or the heap limit: the thread is dying.
      this.#markExiting(record, (error as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { type: 'out_of_memory' } : thrownReason(error));
    });
    worker.once('exit', (code: number) => {
      unregisterFlush?.();
      // A process that exits has sent what it had: its exit message carried it.
      flushes.settleAll();
      this.#markExiting(record, { type: 'error', error: new Error(`the thread of ${formatPid(pid)} exited with code ${code} without saying why`) });
      this.registry.remove(record);
      const reason = record.exitReason!;
      for (const listener of [...record.monitors]) {
        try {
          listener(reason, pid);
        } catch (error) {
          diag.error(`worker-otp: an exit listener of ${formatPid(pid)} threw`, error);
        }
      }
      record.monitors.clear();
      for (const watcher of this.watchers.gone) watcher(record, reason);
      markExited(reason);
    });
    return record;
  }

  /** Posts an envelope to a process; a payload that cannot be cloned throws a typed error. */
  deliver(record: ProcessRecord, message: ToProcess, what: string): void {
    this.router.deliver(record, message, what);
  }

  /** Records that the runtime ends a process (kill, a start timeout), unless it already said why it exits. */
  markKilled(record: ProcessRecord): void {
    this.#markExiting(record, KILLED);
  }

  /** Ends a process at once with `reason` (an exit signal from a linked process), without `terminate`. */
  exitWith(record: ProcessRecord, reason: ExitReason): void {
    this.#markExiting(record, reason);
    void record.worker.terminate();
  }

  /** Links two processes (OTP's `link/1`): each one's abnormal exit reaches the other. */
  link(one: ProcessRecord, other: ProcessRecord): void {
    if (one === other) return;
    one.links.add(other.pid);
    other.links.add(one.pid);
  }

  unlink(one: ProcessRecord, other: ProcessRecord | undefined, otherPid: number): void {
    one.links.delete(otherPid);
    other?.links.delete(one.pid);
  }

  /** Puts an exit signal or a monitor's notice in a process's mailbox, unless it is exiting. */
  signal(record: ProcessRecord, kind: 'exit' | 'down', from: number, reason: ExitReason, ref?: number): void {
    if (record.exitReason !== undefined) return;
    try {
      this.deliver(record, envelope.signal(kind, from, toWireExitReason(reason), ref), 'exit signal');
    } catch {
      // A reason that cannot be cloned travels as its description.
      this.deliver(record, envelope.signal(kind, from, { type: 'stop', detail: describeExitReason(reason) }, ref), 'exit signal');
    }
  }

  /**
   * A process exits: its links hear it (OTP's exit signals). One that traps exits gets an
   * `EXIT` message; one that does not exits too, with the same reason, unless it is `normal`.
   */
  #signalLinks(record: ProcessRecord, reason: ExitReason): void {
    for (const pid of record.links) {
      const linked = this.registry.get(pid);
      if (linked === undefined) continue;
      linked.links.delete(record.pid);
      if (linked.trapExits) this.signal(linked, 'exit', record.pid, reason);
      else if (reason.type !== 'normal') this.exitWith(linked, reason);
    }
    record.links.clear();
  }

  /** The process is on its way out: its name is free, and every caller waiting on it is told at once. */
  #markExiting(record: ProcessRecord, reason: ExitReason): void {
    if (record.exitReason !== undefined) return;
    record.exitReason = reason;
    this.registry.releaseName(record);
    const cause = reason.type === 'error' ? reason.error : undefined;
    const exitError = () => new ProcessExitError({ pid: record.pid, name: record.name }, reason, describeExitReason(reason), cause);
    this.mainCalls.failWhere((call) => call.callee === record, exitError);
    this.router.failInFlight(record, exitError);
    this.#announceExit.get(record)?.(reason);
    this.#announceExit.delete(record);
    this.groups.exited(record.pid);
    this.#signalLinks(record, reason);
  }

  #receive(record: ProcessRecord, flushes: FlushRequests, message: FromProcess): void {
    const spans = openSpans(message);
    if (spans) {
      const mark = markOfPacket(spans);
      if (mark) record.lastSpan = { traceId: mark.traceId, spanId: mark.spanId, traceFlags: mark.traceFlags };
    }
    switch (message.type) {
      case 'spans':
        return;
      case 'ready':
        record.label = message.label;
        record.onReady?.();
        for (const watcher of this.watchers.ready) watcher(record);
        return;
      case 'exit':
        this.#markExiting(record, fromWireExitReason(message.reason));
        return;
      case 'flushed':
        flushes.acknowledge(message.id);
        return;
      case 'reply':
        // Usually from the called process; one it handed `from` to may answer instead.
        if (message.pid === MAIN_PID) this.mainCalls.answer(message.ref, message.value);
        else this.router.answered(record, { pid: message.pid, ref: message.ref }, { value: message.value }, message.transfer);
        return;
      case 'reply_failed':
        if (message.pid === MAIN_PID) this.mainCalls.fail(message.ref, fromWireError(message.error));
        else this.router.answered(record, { pid: message.pid, ref: message.ref }, { error: fromWireError(message.error) });
        return;
      case 'runtime':
        this.requests.handle(record, message);
        return;
      case 'call':
      case 'cast':
      case 'info':
        this.router.route(record, message);
    }
  }

  #requestFlush(record: ProcessRecord, flushes: FlushRequests, timeoutMs: number): Promise<void> {
    if (record.exitReason !== undefined) return Promise.resolve();
    return flushes.request(timeoutMs, `${record.label} (${formatPid(record.pid)})`, (request) => this.deliver(record, request, 'flush request'));
  }
}

/** The one table of this process (the OS process: all threads share it through the main thread). */
export const processTable = new ProcessTable();
