/**
 * What a process sends to other processes: calls, casts and plain messages, routed by the
 * main thread, each with its CLIENT or PRODUCER span and the trace context, as the main
 * thread's client sends them. Calls wait in the process's own call book.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import { context } from '../../propagation/opentelemetry';
import { CallTimeoutError, ProcessContextError, fromWireError } from '../../errors';
import { CallBook } from '../../protocol/call-book';
import { envelope, type CallFailedEnvelope, type ReplyInEnvelope, type SpanFields, type WireProcessRef } from '../../protocol/envelopes';
import type { TransferListItem } from 'node:worker_threads';
import { takeTransfer } from '../../protocol/move';
import { describeRef, wireRef, type Address } from '../../protocol/pid';
import { tracingOn } from '../../protocol/span-outbox';
import { stampTrace } from '../../protocol/stamp';
import { validateTimeout } from '../../protocol/timeouts';
import { ATTR_TARGET } from '../../telemetry/record/attributes';
import { ClientCall } from '../../telemetry/record/client-call';
import { OPERATION_NAMES, SPAN_KINDS, recordFailure } from '../../telemetry/record/run-in-span';
import { runtimeTracer } from '../../protocol/runtime-tracer';
import type { ProcessCallOptions } from '../process-api';

const DEFAULT_CALL_TIMEOUT_MS = 5000;

/** Who is sending: the process's identity, for spans and for refusing calls to itself. */
export interface Sender {
  readonly pid: number;
  readonly name: string | undefined;
  readonly autoSpans: boolean;
  label(): string;
  /** The attributes every span of this process carries, for a message of `kind`. */
  attributes(kind: string): Attributes;
  /** Posts to the main thread, spans riding along, moving `transfer`; throws a typed error if it cannot. */
  post(message: SpanFields, what: string, transfer?: readonly TransferListItem[]): void;
  /** Told when a call of this process timed out (metrics count them). */
  timedOut?(): void;
}

export class Outbound {
  readonly #sender: Sender;
  readonly #calls = new CallBook<ClientCall<WireProcessRef>>((call, timeoutMs) => {
    this.#sender.timedOut?.();
    return new CallTimeoutError(typeof call.callee === 'number' ? { pid: call.callee } : { name: describeRef(call.callee) }, timeoutMs);
  });

  constructor(sender: Sender) {
    this.#sender = sender;
  }

  /** The CLIENT or PRODUCER span of a message this process sends, unless automatic spans are off. */
  #clientSpan(kind: 'call' | 'cast' | 'info', to: WireProcessRef): Span | undefined {
    if (!this.#sender.autoSpans || !tracingOn()) return undefined;
    const target = describeRef(to);
    return runtimeTracer().startSpan(
      `${target}.${OPERATION_NAMES[kind].send}`,
      { kind: SPAN_KINDS[kind].client, attributes: { ...this.#sender.attributes(kind), [ATTR_TARGET]: target } },
      context.active(),
    );
  }

  send(kind: 'cast' | 'info', target: Address, message: unknown): void {
    const to = wireRef(target);
    const span = this.#clientSpan(kind, to);
    try {
      const transfer = takeTransfer(message);
      this.#sender.post(envelope.routedMessage(kind, to, message, stampTrace(span), transfer), 'message', transfer);
    } catch (error) {
      if (span) recordFailure(span, error);
      throw error;
    } finally {
      span?.end();
    }
  }

  call(target: Address, message: unknown, options: ProcessCallOptions = {}): Promise<unknown> {
    const to = wireRef(target);
    if (to === this.#sender.pid || to === this.#sender.name) return Promise.reject(ProcessContextError.callsItself(this.#sender.label()));
    const timeoutMs = validateTimeout(options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, 'options.timeoutMs');
    const span = this.#clientSpan('call', to);
    return this.#await(to, span, timeoutMs, message, (ref, transfer) => {
      const routed = envelope.routedCall(to, ref, message, stampTrace(span), transfer);
      // A node passes the caller's timeout on to the remote side; a local callee needs none.
      this.#sender.post(typeof to === 'object' ? { ...routed, timeoutMs } : routed, 'call request', transfer);
    });
  }

  /**
   * Asks the main thread to do `op` for this process (see `RuntimeRequestEnvelope`),
   * moving what `args` marked. No deadline of its own: the main thread answers every
   * request, within the deadlines of the operation itself (a start's timeout, a stop's).
   */
  request(op: string, args: unknown): Promise<unknown> {
    return this.#await(0, undefined, Infinity, args, (ref, transfer) => this.#sender.post(envelope.runtimeRequest(ref, op, args, stampTrace(), transfer), `${op} request`, transfer));
  }

  /**
   * Books a call to `callee`, sends it with `post` (its payload's moves taken), and waits for
   * the answer within `timeoutMs`; a `post` that throws rejects at once, nothing booked.
   */
  #await(callee: WireProcessRef, span: Span | undefined, timeoutMs: number, payload: unknown, post: (ref: number, transfer: TransferListItem[] | undefined) => void): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const call = new ClientCall(callee, span, resolve, reject);
      const ref = this.#calls.add(call);
      try {
        post(ref, takeTransfer(payload));
      } catch (error) {
        this.#calls.drop(ref);
        call.reject(error as Error);
        return;
      }
      this.#calls.arm(ref, call, timeoutMs);
    });
  }

  /** The answer to a call this process made (a late one is dropped). */
  answered(message: ReplyInEnvelope | CallFailedEnvelope): void {
    if (message.type === 'reply') this.#calls.answer(message.ref, message.value);
    else this.#calls.fail(message.ref, fromWireError(message.error));
  }
}
