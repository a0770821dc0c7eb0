/**
 * The life of a GenServer in its thread: load the user's module, run `init`, serve the
 * mailbox one message at a time, and exit, telling the main thread why. Spawned by the
 * runtime with `ProcessStartData` as its `workerData`; speaks only the protocol of
 * `protocol/envelopes.ts`.
 */
import { parentPort, workerData, type TransferListItem } from 'node:worker_threads';
import type { Attributes, Context } from '@opentelemetry/api';
import {
  ProcessContextError,
  UndefinedCallbackError,
  describeExitReason,
  describeValue,
  exitReasonFrom,
  formatPid,
  fromWireExitReason,
  toWireError,
  thrownReason,
  toWireExitReason,
  type ExitReason,
  type StopReason,
} from '../../errors';
import { ROOT_CONTEXT, SpanKind, TraceFlags, context, diag, trace } from '../../propagation/opentelemetry';
import { answerFlush } from '../../protocol/flush';
import { MailboxTakes } from '../../protocol/mailbox-counter';
import { GaugeWriter } from '../../protocol/process-gauges';
import { takeTransfer } from '../../protocol/move';
import {
  envelope,
  type CallEnvelope,
  type CastEnvelope,
  type FromProcess,
  type InfoEnvelope,
  type ProcessStartData,
  type SignalEnvelope,
  type SpanFields,
  type ToProcess,
} from '../../protocol/envelopes';
import { makePid } from '../../protocol/pid';
import { setThreadKind } from '../../protocol/thread-kind';
import type { DownMessage, ExitMessage } from '../../protocol/system-messages';
import type { From, GenServerDefinition } from '../../protocol/gen-server-definition';
import { portOf, type Port } from '../../protocol/port';
import { threadOutbox, tracingOn } from '../../protocol/span-outbox';
import { openTrace, postWithSpans } from '../../protocol/stamp';
import { startTimeout, validateTimeout } from '../../protocol/timeouts';
import {
  ATTR_EXIT_REASON,
  ATTR_MAILBOX_DEPTH,
  ATTR_MAILBOX_WAIT_MS,
  ATTR_MESSAGE_KIND,
  ATTR_PID,
  ATTR_PROCESS_NAME,
} from '../../telemetry/record/attributes';
import { OPERATION_NAMES, SPAN_KINDS, isPromiseLike, runInSpan } from '../../telemetry/record/run-in-span';
import { installProcessRuntime, type TimerRef } from '../process-api';
import { startWorkerTelemetry } from '../worker-telemetry';
import { checkCallbackResult, checkInitResult, hasKey } from './callback-results';
import { loadDefinition } from './load-definition';
import { Mailbox, type MailboxEntry } from './mailbox';
import { Outbound } from './outbound';

/** How often a process writes its heap used for the main thread (metrics, the live view). */
const HEAP_EVERY_MS = 1000;

/** The attributes of a message no span records. */
const NO_ATTRIBUTES: Attributes = Object.freeze({});

type WorkEnvelope = CallEnvelope | CastEnvelope | InfoEnvelope;

/** Whether `parent` is a trace that is not sampled: its span will not be recorded, so it needs no attributes. */
function unsampled(parent: Context): boolean {
  const spanContext = trace.getSpanContext(parent);
  return spanContext !== undefined && (spanContext.traceFlags & TraceFlags.SAMPLED) === 0;
}

class GenServerHost {
  readonly #start: ProcessStartData;
  readonly #port: Port = portOf(parentPort!);
  readonly #mailbox = new Mailbox((entry) => this.#handle(entry));
  readonly #outbound: Outbound;
  #definition: GenServerDefinition | undefined;
  #label: string;
  #state: unknown;
  /** Resolves when `init` may run: at once, or (a restart) when the `go` envelope arrives. */
  readonly #go: Promise<void>;
  #markGo: () => void = () => {};
  #exiting = false;
  /** With a `maxMailbox`: where this thread counts the messages it takes, for the main thread to see. */
  readonly #mailboxTakes: MailboxTakes | undefined;
  /** With metrics or the live view on: where this thread writes its handling times and heap. */
  readonly #gauges: GaugeWriter | undefined;

  constructor(start: ProcessStartData) {
    setThreadKind('process');
    this.#start = start;
    this.#mailboxTakes = start.mailboxTaken ? new MailboxTakes(start.mailboxTaken) : undefined;
    this.#gauges = start.gauges ? new GaugeWriter(start.gauges) : undefined;
    if (this.#gauges) {
      const gauges = this.#gauges;
      const writeHeap = () => gauges.heapUsed(process.memoryUsage().heapUsed);
      writeHeap();
      setInterval(writeHeap, HEAP_EVERY_MS).unref();
    }
    this.#label = start.name ?? start.defaultLabel;
    startWorkerTelemetry({ threadName: start.name ?? formatPid(start.pid) });
    threadOutbox()?.addUpstream({ sendSpans: (spans) => this.#port.post(envelope.spans(spans)) });
    this.#port.listen((message) => this.#receive(message as ToProcess));
    this.#go = start.initAfterGo ? new Promise((resolve) => (this.#markGo = resolve)) : Promise.resolve();
    this.#outbound = new Outbound({
      pid: start.pid,
      name: start.name,
      autoSpans: start.autoSpans,
      label: () => this.#label,
      attributes: (kind) => this.#attributes(kind),
      post: (message, what, transfer) => this.#post(message, what, transfer),
      ...(this.#gauges ? { timedOut: () => this.#gauges!.callTimedOut() } : {}),
    });
  }

  async run(): Promise<void> {
    let definition: GenServerDefinition;
    try {
      definition = await loadDefinition(this.#start.modulePath);
    } catch (error) {
      this.#exit(thrownReason(error), ROOT_CONTEXT, false);
      return;
    }
    this.#definition = definition;
    this.#label = this.#start.name ?? definition.name ?? this.#start.defaultLabel;
    installProcessRuntime({
      self: () => ({ pid: this.#start.pid }),
      call: (target, message, options) => this.#outbound.call(target, message, options),
      cast: (target, message) => this.#outbound.send('cast', target, message),
      send: (target, message) => this.#outbound.send('info', target, message),
      reply: (from, value) => this.#reply(from, value),
      sendAfter: (delayMs, message) => this.#sendAfter(delayMs, message),
      request: (op, args) => this.#outbound.request(op, args),
    });
    // A restart loads its module while the thread it replaces ends; init waits for that.
    await this.#go;
    const parent = openTrace(this.#start);
    let result: { ok: unknown } | { stop: unknown };
    try {
      result = await runInSpan(this.#start.autoSpans, `${this.#label}.init`, SpanKind.INTERNAL, parent, this.#attributes('init'), async () =>
        checkInitResult(this.#label, await definition.init(this.#start.initArg)),
      );
    } catch (error) {
      // OTP does not run terminate when init fails.
      this.#exit(thrownReason(error), parent, false);
      return;
    }
    if ('stop' in result) {
      this.#exit(exitReasonFrom(result.stop as StopReason), parent, false);
      return;
    }
    this.#state = result.ok;
    this.#post(envelope.ready(this.#label));
    this.#mailbox.open();
  }

  #attributes(kind: string): Attributes {
    return { [ATTR_PID]: this.#start.pid, [ATTR_PROCESS_NAME]: this.#label, [ATTR_MESSAGE_KIND]: kind };
  }

  /**
   * Posts to the main thread with the spans this thread holds (`batched`: a reply, which
   * carries them in batches), moving `transfer`. Throws PayloadNotCloneableError, keeping the spans.
   */
  #post(message: FromProcess | SpanFields, what = 'message', transfer?: readonly TransferListItem[], batched = false): void {
    postWithSpans(this.#port, message, what, transfer, batched);
  }

  #receive(message: ToProcess): void {
    switch (message.type) {
      case 'go':
        this.#markGo();
        return;
      case 'flush':
        void answerFlush(message, (answer) => this.#post(answer));
        return;
      case 'reply':
      case 'call_failed':
        this.#outbound.answered(message);
        return;
      case 'signal':
        this.#mailbox.push({ envelope: envelope.info(systemMessage(message)) });
        return;
      case 'stop':
        this.#mailbox.push({ envelope: message });
        return;
      default:
        this.#mailbox.push({ envelope: message, counted: this.#mailboxTakes !== undefined });
    }
  }

  /** Handles one message (timing it when metrics or the live view are on); returns a promise only when its callback is asynchronous. */
  #handle(entry: MailboxEntry): Promise<void> | undefined {
    const gauges = this.#gauges;
    const type = entry.envelope.type;
    if (gauges === undefined || type === 'stop') return this.#handleMessage(entry);
    const started = performance.now();
    const callback = type === 'call' ? 0 : type === 'cast' ? 1 : 2;
    const handled = this.#handleMessage(entry);
    if (handled === undefined) gauges.handled(callback, (performance.now() - started) / 1000);
    else void handled.then(() => gauges.handled(callback, (performance.now() - started) / 1000));
    return handled;
  }

  #handleMessage(entry: MailboxEntry): Promise<void> | undefined {
    const { envelope: message } = entry;
    if (entry.counted) this.#mailboxTakes!.took();
    const parent = entry.localContext ?? openTrace(message);
    if (message.type === 'stop') {
      this.#exit(fromWireExitReason(message.reason), parent, true);
      return undefined;
    }
    let result: Record<string, unknown> | Promise<Record<string, unknown>>;
    try {
      // With telemetry off there is no context to enter and no span to name.
      result = tracingOn()
        ? runInSpan(
            this.#start.autoSpans,
            `${this.#label}.${OPERATION_NAMES[message.type].handle}`,
            SPAN_KINDS[message.type].server,
            parent,
            this.#start.autoSpans && !unsampled(parent) ? this.#messageAttributes(message) : NO_ATTRIBUTES,
            () => this.#invoke(message),
          )
        : this.#invoke(message);
    } catch (error) {
      this.#exit(thrownReason(error), parent, true);
      return undefined;
    }
    if (!(result instanceof Promise)) {
      this.#settle(message, result, parent);
      return undefined;
    }
    return result.then(
      (settled) => this.#settle(message, settled, parent),
      (error: unknown) => this.#exit(thrownReason(error), parent, true),
    );
  }

  #messageAttributes(message: WorkEnvelope): Attributes {
    const attributes = this.#attributes(message.type);
    attributes[ATTR_MAILBOX_DEPTH] = this.#mailbox.depth;
    if (message.sentAt !== undefined) {
      attributes[ATTR_MAILBOX_WAIT_MS] = Number(process.hrtime.bigint() - message.sentAt) / 1e6;
    }
    return attributes;
  }

  /** Applies a callback's valid result: new state, the reply, a stop. A failure here crashes the process. */
  #settle(message: WorkEnvelope, result: Record<string, unknown>, parent: Context): void {
    try {
      this.#state = result.state;
      if (message.type === 'call' && hasKey(result, 'reply')) this.#answer(message.pid, message.ref, result.reply);
      if (hasKey(result, 'stop')) this.#exit(exitReasonFrom(result.stop as StopReason), parent, true);
    } catch (error) {
      this.#exit(thrownReason(error), parent, true);
    }
  }

  /** Calls the callback for a message and checks what it returned (synchronously when it is). */
  #invoke(message: WorkEnvelope): Record<string, unknown> | Promise<Record<string, unknown>> {
    const definition = this.#definition!;
    const state = this.#state;
    let returned: unknown;
    let callback: string;
    switch (message.type) {
      case 'call':
        callback = 'handleCall';
        if (!definition.handleCall) throw new UndefinedCallbackError(callback, this.#label);
        returned = definition.handleCall(message.message, { pid: message.pid, ref: message.ref }, state);
        break;
      case 'cast':
        callback = 'handleCast';
        if (!definition.handleCast) throw new UndefinedCallbackError(callback, this.#label);
        returned = definition.handleCast(message.message, state);
        break;
      case 'info':
        callback = 'handleInfo';
        if (!definition.handleInfo) {
          diag.warn(`worker-otp: ${this.#label} has no handleInfo; dropped the message ${describeValue(message.message)}`);
          return { noreply: true, state };
        }
        returned = definition.handleInfo(message.message, state);
        break;
    }
    const isCall = message.type === 'call';
    if (isPromiseLike(returned)) return Promise.resolve(returned).then((value: unknown) => checkCallbackResult(this.#label, callback, isCall, value));
    return checkCallbackResult(this.#label, callback, isCall, returned);
  }

  /** `reply(from, value)` from user code: checks the `from`. */
  #reply(from: From, value: unknown): void {
    if (from === null || typeof from !== 'object' || !Number.isInteger(from.pid) || !Number.isInteger(from.ref)) {
      throw ProcessContextError.badFrom(from);
    }
    this.#answer(from.pid, from.ref, value);
  }

  #answer(pid: number, ref: number, value: unknown): void {
    try {
      const transfer = takeTransfer(value);
      this.#post(envelope.replyOut(pid, ref, value, transfer), 'reply', transfer, true);
    } catch (error) {
      // The caller learns why; the process goes on serving.
      this.#post(envelope.replyFailed(pid, ref, toWireError(error)));
    }
  }

  #sendAfter(delayMs: number, message: unknown): TimerRef {
    validateTimeout(delayMs, 'delayMs');
    const localContext = context.active();
    let delivered = false;
    const timer = startTimeout(delayMs, () => {
      delivered = true;
      this.#mailbox.push({ envelope: envelope.info(message), localContext });
    });
    // The process keeps running while it has a message scheduled for itself.
    timer?.ref();
    return {
      cancel: () => {
        if (delivered || timer === undefined) return false;
        clearTimeout(timer);
        delivered = true;
        return true;
      },
    };
  }

  /** Runs `terminate` (unless told not to), tells the main thread why, and ends the thread. */
  #exit(reason: ExitReason, parent: Context, runTerminate: boolean): void {
    if (this.#exiting) return;
    this.#exiting = true;
    this.#mailbox.close();
    void (async () => {
      const terminate = this.#definition?.terminate;
      if (runTerminate && terminate) {
        const attributes = { ...this.#attributes('terminate'), [ATTR_EXIT_REASON]: describeExitReason(reason) };
        try {
          await runInSpan(this.#start.autoSpans, `${this.#label}.terminate`, SpanKind.INTERNAL, parent, attributes, () => terminate(reason, this.#state));
        } catch (error) {
          diag.warn(`worker-otp: ${this.#label}.terminate threw while exiting (${describeExitReason(reason)}): ${(error as Error)?.message}`);
        }
      }
      try {
        this.#post(envelope.exit(toWireExitReason(reason)));
      } catch {
        // A stop reason that cannot be cloned travels as its description.
        this.#post(envelope.exit({ type: 'stop', detail: describeExitReason(reason) }));
      }
      process.exit(reason.type === 'normal' || reason.type === 'shutdown' ? 0 : 1);
    })();
  }
}

/** An exit signal or a monitor's notice as `handleInfo` receives it. */
function systemMessage(signal: SignalEnvelope): ExitMessage | DownMessage {
  const pid = makePid(signal.pid);
  const reason = fromWireExitReason(signal.reason);
  return signal.kind === 'exit' ? { type: 'EXIT', pid, reason } : { type: 'DOWN', ref: signal.ref!, pid, reason };
}

/** Runs the GenServer this thread was started for (its start data is the thread's `workerData`). */
export function runGenServerHost(): void {
  void new GenServerHost(workerData as ProcessStartData).run();
}
