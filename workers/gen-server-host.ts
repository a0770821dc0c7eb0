/**
 * The entry point of every GenServer thread: loads the user's module, runs `init`, then
 * serves its mailbox one message at a time until it stops. Spawned by the runtime with
 * `ProcessStartData` as its `workerData`; speaks only `process-protocol.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, context, diag } from '../propagation/opentelemetry';
import {
  ATTR_EXIT_REASON,
  ATTR_MAILBOX_DEPTH,
  ATTR_MAILBOX_WAIT_MS,
  ATTR_MESSAGE_KIND,
  ATTR_PID,
  ATTR_PROCESS_NAME,
  ATTR_TARGET,
} from '../propagation/attributes';
import { describeValue, fromWireError, toWireError } from '../propagation/error-wire';
import {
  CallTimeoutError,
  InvalidReturnError,
  PayloadNotCloneableError,
  ProcessContextError,
  StartError,
  UndefinedCallbackError,
  isDataCloneError,
} from '../propagation/errors';
import {
  describeExitReason,
  exitReasonFrom,
  fromWireExitReason,
  toWireExitReason,
  type ExitReason,
} from '../propagation/exit-reason';
import { GEN_SERVER_MARK, type From, type GenServerDefinition } from '../propagation/gen-server-definition';
import { formatPid, type FromProcess, type ProcessStartData, type ToProcess, type WireProcessRef } from '../propagation/process-protocol';
import { OPERATION_NAMES, SPAN_KINDS, envelopeTrace, isPromiseLike, recordFailure, runInSpan, tracingOn } from '../propagation/span-helpers';
import { extractTraceContext } from '../propagation/trace-carrier';
import { runtimeTracer } from '../propagation/tracer';
import { startTimeout, validateTimeout } from '../propagation/timeouts';
import { loadModule, type ModuleExports } from './module-loader';
import { installProcessRuntime, type ProcessCallOptions, type ProcessRef, type TimerRef } from './process-api';
import type { SpanRelay } from '../propagation/span-relay';
import { startWorkerTelemetry } from './worker-telemetry';
import { DeadlineQueue, type Deadline } from '../propagation/deadline-queue';
import { PendingCalls } from '../propagation/pending-calls';

const DEFAULT_CALL_TIMEOUT_MS = 5000;
/** The attributes of a message no span records. */
const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** A message waiting in the mailbox; local ones (sendAfter) keep their context object. */
interface MailboxEntry {
  envelope: Extract<ToProcess, { type: 'call' | 'cast' | 'info' | 'stop' }>;
  localContext?: Context;
}

interface OutboundCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  deadline: Deadline | undefined;
}

function wireRef(target: ProcessRef): WireProcessRef {
  if (typeof target === 'string') return target;
  if (target !== null && typeof target === 'object' && Number.isInteger(target.pid)) return target.pid;
  throw new TypeError(`worker-otp: a process is named by its pid ({ pid }) or its registered name; got ${describeValue(target)}`);
}

function refLabel(target: WireProcessRef): string {
  return typeof target === 'string' ? target : formatPid(target);
}

function hasKey<K extends string>(value: object, key: K): value is Record<K, unknown> {
  return key in value;
}

const CALL_SHAPES = '{ reply, state }, { noreply: true, state }, or { stop, state } (with an optional reply)';
const NOREPLY_SHAPES = '{ noreply: true, state } or { stop, state }';

class GenServerHost {
  readonly #start: ProcessStartData;
  readonly #port = parentPort!;
  readonly #relay: SpanRelay | undefined;
  readonly #mailbox: MailboxEntry[] = [];
  /** Calls this process made and waits on. */
  readonly #outbound = new PendingCalls<OutboundCall>();
  readonly #callDeadlines = new DeadlineQueue();
  #definition!: GenServerDefinition;
  #label: string;
  #state: unknown;
  #ready = false;
  /** Resolves when `init` may run: at once, or (a restart) when the `go` envelope arrives. */
  readonly #go: Promise<void>;
  #markGo: () => void = () => {};
  #draining = false;
  #exiting = false;

  constructor(start: ProcessStartData) {
    this.#start = start;
    this.#label = start.name ?? start.defaultLabel;
    this.#relay = startWorkerTelemetry({ threadName: start.name ?? formatPid(start.pid) })?.relay;
    this.#relay?.addUpstream({ sendSpans: (spans) => this.#port.postMessage({ type: 'spans', spans } satisfies FromProcess) });
    this.#port.on('message', (message: ToProcess) => this.#receive(message));
    this.#go = start.initAfterGo ? new Promise((resolve) => (this.#markGo = resolve)) : Promise.resolve();
  }

  async run(): Promise<void> {
    const definition = await this.#load();
    if (definition === undefined) return;
    this.#definition = definition;
    this.#label = this.#start.name ?? definition.name ?? this.#start.defaultLabel;
    installProcessRuntime({
      self: () => ({ pid: this.#start.pid }),
      call: (target, message, options) => this.#call(target, message, options),
      cast: (target, message) => this.#sendOut('cast', target, message),
      send: (target, message) => this.#sendOut('info', target, message),
      reply: (from, value) => this.#reply(from, value),
      sendAfter: (delayMs, message) => this.#sendAfter(delayMs, message),
    });
    // A restart loads its module while the thread it replaces ends; init waits for that.
    await this.#go;
    const parent = extractTraceContext(this.#start.trace);
    let result: unknown;
    try {
      result = await runInSpan(this.#start.autoSpans, `${this.#label}.init`, SpanKind.INTERNAL, parent, this.#attributes('init'), async () => {
        const returned = await definition.init(this.#start.initArg);
        if (returned === null || typeof returned !== 'object' || !(hasKey(returned, 'ok') || hasKey(returned, 'stop'))) {
          throw new InvalidReturnError(`${this.#label}.init`, describeValue(returned), '{ ok: state } or { stop: reason }');
        }
        return returned;
      });
    } catch (error) {
      // OTP does not run terminate when init fails.
      this.#exit({ type: 'error', error: error as Error }, parent, false);
      return;
    }
    if (hasKey(result as object, 'stop')) {
      this.#exit(exitReasonFrom((result as { stop: unknown }).stop), parent, false);
      return;
    }
    this.#state = (result as { ok: unknown }).ok;
    this.#ready = true;
    this.#post({ type: 'ready', label: this.#label });
    this.#drain();
  }

  async #load(): Promise<GenServerDefinition | undefined> {
    const { modulePath } = this.#start;
    let loaded: ModuleExports;
    try {
      loaded = await loadModule(modulePath);
    } catch (error) {
      const code = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' ? 'ERR_MODULE_NOT_FOUND' : 'ERR_MODULE_LOAD';
      const reason = new StartError(code, `worker-otp start: could not load the GenServer module ${modulePath}: ${(error as Error).message}`, undefined, error);
      this.#exit({ type: 'error', error: reason }, ROOT_CONTEXT, false);
      return undefined;
    }
    // `module.exports = definition`, `export default` compiled to CommonJS or an ES module's default.
    const candidates = [loaded, loaded.default, (loaded.default as ModuleExports | undefined)?.default];
    const definition = candidates.find((candidate) => (candidate as Record<string, unknown> | undefined)?.[GEN_SERVER_MARK] === true);
    if (definition === undefined) {
      const found = Object.keys(loaded);
      const reason = new StartError(
        'ERR_NOT_A_GENSERVER',
        `worker-otp start: ${modulePath} has no GenServer default export (found ${found.length ? `exports ${found.join(', ')}` : 'no exports'}); ` +
          'write `export default defineGenServer({ init, ... })`',
      );
      this.#exit({ type: 'error', error: reason }, ROOT_CONTEXT, false);
      return undefined;
    }
    return definition as GenServerDefinition;
  }

  #attributes(kind: string): Attributes {
    return { [ATTR_PID]: this.#start.pid, [ATTR_PROCESS_NAME]: this.#label, [ATTR_MESSAGE_KIND]: kind };
  }

  /** Posts an envelope with the spans this thread holds. Throws PayloadNotCloneableError, keeping the spans. */
  #post(message: FromProcess, what = 'message'): void {
    const spans = this.#relay?.take();
    if (spans) message.spans = spans;
    try {
      this.#port.postMessage(message);
    } catch (error) {
      if (spans) this.#relay!.accept(spans);
      throw isDataCloneError(error) ? new PayloadNotCloneableError(what, error) : error;
    }
  }

  #receive(message: ToProcess): void {
    switch (message.type) {
      case 'go':
        this.#markGo();
        return;
      case 'flush':
        void this.#answerFlush(message.id, message.timeoutMs);
        return;
      case 'reply':
      case 'call_failed': {
        const pending = this.#outbound.take(message.ref);
        if (pending === undefined) return; // timed out already: a late reply is dropped
        pending.deadline?.cancel();
        if (message.type === 'reply') pending.resolve(message.value);
        else pending.reject(fromWireError(message.error));
        return;
      }
      default:
        this.#mailbox.push({ envelope: message });
        this.#drain();
    }
  }

  async #answerFlush(id: number, timeoutMs: number): Promise<void> {
    await this.#relay?.flushDownstream(timeoutMs);
    this.#post({ type: 'flushed', id });
  }

  /**
   * Serves the mailbox in order. A synchronous callback is served in the same turn of
   * the event loop as its message (no microtask hops between receipt and reply); an
   * async one holds the mailbox until it settles.
   */
  #drain(): void {
    if (this.#draining || !this.#ready) return;
    this.#draining = true;
    while (this.#mailbox.length > 0 && !this.#exiting) {
      const pending = this.#handle(this.#mailbox.shift()!);
      if (pending) {
        void pending.then(() => {
          this.#draining = false;
          this.#drain();
        });
        return;
      }
    }
    this.#draining = false;
  }

  /** Handles one message; returns a promise only when its callback is asynchronous. */
  #handle(entry: MailboxEntry): Promise<void> | undefined {
    const { envelope } = entry;
    const parent = entry.localContext ?? extractTraceContext(envelope.trace);
    if (envelope.type === 'stop') {
      this.#exit(fromWireExitReason(envelope.reason), parent, true);
      return undefined;
    }
    let result: Record<string, unknown> | Promise<Record<string, unknown>>;
    try {
      // With telemetry off there is no context to enter and no span to name.
      result = tracingOn()
        ? runInSpan(
            this.#start.autoSpans,
            `${this.#label}.${OPERATION_NAMES[envelope.type].handle}`,
            SPAN_KINDS[envelope.type].server,
            parent,
            this.#start.autoSpans ? this.#messageAttributes(envelope) : NO_ATTRIBUTES,
            () => this.#invoke(envelope),
          )
        : this.#invoke(envelope);
    } catch (error) {
      this.#exit({ type: 'error', error: error as Error }, parent, true);
      return undefined;
    }
    if (!(result instanceof Promise)) {
      this.#settle(envelope, result, parent);
      return undefined;
    }
    return result.then(
      (settled) => this.#settle(envelope, settled, parent),
      (error: unknown) => this.#exit({ type: 'error', error: error as Error }, parent, true),
    );
  }

  #messageAttributes(envelope: MailboxEntry['envelope']): Attributes {
    const attributes = this.#attributes(envelope.type);
    attributes[ATTR_MAILBOX_DEPTH] = this.#mailbox.length;
    if (envelope.sentAt !== undefined) {
      attributes[ATTR_MAILBOX_WAIT_MS] = Number(process.hrtime.bigint() - envelope.sentAt) / 1e6;
    }
    return attributes;
  }

  /** Applies a callback's valid result: new state, the reply, a stop. A failure here crashes the process. */
  #settle(envelope: Extract<ToProcess, { type: 'call' | 'cast' | 'info' }>, result: Record<string, unknown>, parent: Context): void {
    try {
      this.#state = result.state;
      if (envelope.type === 'call' && hasKey(result, 'reply')) this.#answer(envelope.pid, envelope.ref, result.reply);
      if (hasKey(result, 'stop')) this.#exit(exitReasonFrom(result.stop), parent, true);
    } catch (error) {
      this.#exit({ type: 'error', error: error as Error }, parent, true);
    }
  }

  /** Calls the callback for an envelope and checks what it returned (synchronously when it is). */
  #invoke(envelope: Extract<ToProcess, { type: 'call' | 'cast' | 'info' }>): Record<string, unknown> | Promise<Record<string, unknown>> {
    const definition = this.#definition;
    const state = this.#state;
    let returned: unknown;
    let callback: string;
    switch (envelope.type) {
      case 'call':
        callback = 'handleCall';
        if (!definition.handleCall) throw new UndefinedCallbackError(callback, this.#label);
        returned = definition.handleCall(envelope.message, { pid: envelope.pid, ref: envelope.ref }, state);
        break;
      case 'cast':
        callback = 'handleCast';
        if (!definition.handleCast) throw new UndefinedCallbackError(callback, this.#label);
        returned = definition.handleCast(envelope.message, state);
        break;
      case 'info':
        callback = 'handleInfo';
        if (!definition.handleInfo) {
          diag.warn(`worker-otp: ${this.#label} has no handleInfo; dropped the message ${describeValue(envelope.message)}`);
          return { noreply: true, state };
        }
        returned = definition.handleInfo(envelope.message, state);
        break;
    }
    const isCall = envelope.type === 'call';
    if (isPromiseLike(returned)) {
      return Promise.resolve(returned).then((value: unknown) => {
        this.#validate(callback, isCall, value);
        return value as Record<string, unknown>;
      });
    }
    this.#validate(callback, isCall, returned);
    return returned as Record<string, unknown>;
  }

  #validate(callback: string, isCall: boolean, returned: unknown): void {
    const shapes = isCall ? CALL_SHAPES : NOREPLY_SHAPES;
    const invalid = () => new InvalidReturnError(`${this.#label}.${callback}`, describeValue(returned), shapes);
    if (returned === null || typeof returned !== 'object' || !hasKey(returned, 'state')) throw invalid();
    const stops = hasKey(returned, 'stop');
    const replies = hasKey(returned, 'reply');
    const noreply = hasKey(returned, 'noreply') && returned.noreply === true;
    const valid = stops ? !noreply && (isCall || !replies) : isCall ? replies !== noreply : noreply && !replies;
    if (!valid) throw invalid();
  }

  /** `reply(from, value)` from user code: checks the `from`. */
  #reply(from: From, value: unknown): void {
    if (from === null || typeof from !== 'object' || !Number.isInteger(from.pid) || !Number.isInteger(from.ref)) {
      throw new ProcessContextError(`reply(from, value) needs the from that handleCall received; got ${describeValue(from)}`);
    }
    this.#answer(from.pid, from.ref, value);
  }

  #answer(pid: number, ref: number, value: unknown): void {
    try {
      this.#post({ type: 'reply', pid, ref, value }, 'reply');
    } catch (error) {
      // The caller learns why; the process goes on serving.
      this.#post({ type: 'reply_failed', pid, ref, error: toWireError(error) });
    }
  }

  /** The client span of a message this process sends, unless automatic spans are off. */
  #clientSpan(kind: 'call' | 'cast' | 'info', to: WireProcessRef): Span | undefined {
    if (!this.#start.autoSpans || !tracingOn()) return undefined;
    return runtimeTracer().startSpan(
      `${refLabel(to)}.${OPERATION_NAMES[kind].send}`,
      { kind: SPAN_KINDS[kind].client, attributes: { ...this.#attributes(kind), [ATTR_TARGET]: refLabel(to) } },
      context.active(),
    );
  }

  #sendOut(kind: 'cast' | 'info', target: ProcessRef, message: unknown): void {
    const to = wireRef(target);
    const span = this.#clientSpan(kind, to);
    try {
      this.#post({ type: kind, to, message, ...envelopeTrace(span) }, 'message');
    } catch (error) {
      if (span) recordFailure(span, error);
      throw error;
    } finally {
      span?.end();
    }
  }

  #call(target: ProcessRef, message: unknown, options: ProcessCallOptions = {}): Promise<unknown> {
    const to = wireRef(target);
    if (to === this.#start.pid || to === this.#start.name) {
      return Promise.reject(new ProcessContextError(`${this.#label} called itself, which can only deadlock; handle the request directly`));
    }
    const timeoutMs = validateTimeout(options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, 'options.timeoutMs');
    const span = this.#clientSpan('call', to);
    return new Promise<unknown>((resolve, reject) => {
      const settle = (error: Error | undefined, value?: unknown) => {
        if (span && error) recordFailure(span, error);
        span?.end();
        if (error) reject(error);
        else resolve(value);
      };
      const pending: OutboundCall = { resolve: (value) => settle(undefined, value), reject: (error) => settle(error), deadline: undefined };
      const ref = this.#outbound.add(pending);
      try {
        this.#post({ type: 'call', to, ref, message, ...envelopeTrace(span) }, 'call request');
      } catch (error) {
        this.#outbound.take(ref);
        settle(error as Error);
        return;
      }
      pending.deadline = this.#callDeadlines.add(timeoutMs, () => {
        this.#outbound.take(ref);
        settle(new CallTimeoutError(typeof to === 'number' ? { pid: to } : { name: to }, timeoutMs));
      });
    });
  }

  #sendAfter(delayMs: number, message: unknown): TimerRef {
    validateTimeout(delayMs, 'delayMs');
    const localContext = context.active();
    let delivered = false;
    const timer = startTimeout(delayMs, () => {
      delivered = true;
      this.#mailbox.push({ envelope: { type: 'info', message }, localContext });
      this.#drain();
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
    void (async () => {
      const terminate = this.#definition?.terminate;
      if (runTerminate && terminate) {
        const attributes = { ...this.#attributes('terminate'), [ATTR_EXIT_REASON]: describeExitReason(reason) };
        try {
          await runInSpan(this.#start.autoSpans, `${this.#label}.terminate`, SpanKind.INTERNAL, parent, attributes, () =>
            terminate(reason, this.#state),
          );
        } catch (error) {
          diag.warn(`worker-otp: ${this.#label}.terminate threw while exiting (${describeExitReason(reason)}): ${(error as Error)?.message}`);
        }
      }
      try {
        this.#post({ type: 'exit', reason: toWireExitReason(reason) });
      } catch {
        // A stop reason that cannot be cloned travels as its description.
        this.#post({ type: 'exit', reason: { type: 'stop', detail: describeExitReason(reason) } });
      }
      process.exit(reason.type === 'normal' || reason.type === 'shutdown' ? 0 : 1);
    })();
  }
}

/** Runs the GenServer this thread was started for (its start data is the thread's `workerData`). */
export function runGenServerHost(): void {
  void new GenServerHost(workerData as ProcessStartData).run();
}
