import type { TransferListItem } from 'node:worker_threads';
import { diag } from '@opentelemetry/api';
import { MailboxFullError, NoProcessError, toWireError } from '../errors';
import { envelope, type RoutedCallEnvelope, type RoutedMessageEnvelope, type ToProcess } from '../protocol/envelopes';
import type { From } from '../protocol/gen-server-definition';
import { describeRef } from '../protocol/pid';
import { isRemoteRef, type RemoteRef } from '../protocol/remote-ref';
import { openTrace, post } from '../protocol/stamp';
import { callKey, type ProcessRecord } from './process-record';
import type { ProcessRegistry } from './process-registry';
import { clusterLink } from './cluster-link';

/** What answers a call from one process to another: its value, or why it failed. */
export type CallAnswer = { readonly value: unknown } | { readonly error: Error };

/**
 * Carries messages from one process to another. Processes do not talk to each other
 * directly: a call, cast or message goes up to the main thread, which looks the target up
 * and forwards it; the answer to a call comes back the same way. A call in flight is
 * recorded on its callee, so that the callee's exit fails it at once.
 */
export class MessageRouter {
  readonly #registry: ProcessRegistry;

  constructor(registry: ProcessRegistry) {
    this.#registry = registry;
  }

  /** Posts an envelope to a process, moving `transfer`; a payload that cannot be cloned throws a typed error. */
  deliver(record: ProcessRecord, message: ToProcess, what: string, transfer?: readonly TransferListItem[]): void {
    post(record.port, message, what, transfer);
  }

  /**
   * Posts a call, cast or message to a process, counted into its mailbox when it has a
   * `maxMailbox`: throws `MailboxFullError` when the mailbox is full (nothing is sent),
   * or a typed error when the payload cannot be cloned.
   */
  deliverMessage(record: ProcessRecord, message: ToProcess, what: string, transfer?: readonly TransferListItem[]): void {
    const { mailbox } = record;
    if (mailbox === undefined) return this.deliver(record, message, what, transfer);
    if (!mailbox.tryAdd()) throw new MailboxFullError({ pid: record.pid, name: record.label }, mailbox.max);
    try {
      this.deliver(record, message, what, transfer);
    } catch (error) {
      mailbox.undo();
      throw error;
    }
  }

  /** Forwards what process `sender` sent to another process. */
  route(sender: ProcessRecord, message: RoutedCallEnvelope | RoutedMessageEnvelope): void {
    if (isRemoteRef(message.to)) return this.#routeRemote(sender, message, message.to);
    const target = this.#registry.resolve(message.to);
    if (message.type === 'call') {
      const from: From = { pid: sender.pid, ref: message.ref };
      if (target === undefined) {
        this.answer(from, { error: new NoProcessError(describeRef(message.to)) });
        return;
      }
      target.inFlight.set(callKey(from), from);
      try {
        this.deliverMessage(target, envelope.forwardedCall(from, message), 'message', message.transfer);
      } catch (error) {
        // A full mailbox; or a payload that was cloneable once, on its way here (rare).
        target.inFlight.delete(callKey(from));
        this.answer(from, { error: error as Error });
      }
      return;
    }
    if (target === undefined) {
      diag.debug(`worker-otp: ${sender.label} sent a ${message.type} to ${describeRef(message.to)}, which is not running; dropped`);
      return;
    }
    try {
      this.deliver(target, envelope.forwardedMessage(message), 'message', message.transfer);
      // Not refused when the mailbox is full: the sender has moved on, and OTP never drops a cast.
      target.mailbox?.add();
    } catch {
      // A one-way message that cannot be forwarded is dropped, as OTP drops one to a dead process.
    }
  }

  /** Hands what a process sent to a process on another node to this program's node, in the sender's trace context. */
  #routeRemote(sender: ProcessRecord, message: RoutedCallEnvelope | RoutedMessageEnvelope, to: RemoteRef): void {
    const ctx = openTrace(message);
    if (message.type === 'call') {
      const from: From = { pid: sender.pid, ref: message.ref };
      let answer: Promise<unknown>;
      try {
        answer = clusterLink(`reaching ${describeRef(to)}`).call(to, message.message, message.timeoutMs ?? Infinity, ctx);
      } catch (error) {
        answer = Promise.reject(error);
      }
      answer.then(
        (value) => this.answer(from, { value }),
        (error: unknown) => this.answer(from, { error: error as Error }),
      );
      return;
    }
    try {
      clusterLink(`reaching ${describeRef(to)}`).send(message.type, to, message.message, ctx);
    } catch (error) {
      diag.debug(`worker-otp: ${sender.label} sent a ${message.type} to ${describeRef(to)}, which could not be sent (${(error as Error).message}); dropped`);
    }
  }

  /** The callee answered a call that came from another process: passes the answer back, moving `transfer`. */
  answered(callee: ProcessRecord, from: From, answer: CallAnswer, transfer?: readonly TransferListItem[]): void {
    callee.inFlight.delete(callKey(from));
    this.answer(from, answer, transfer);
  }

  /** Fails every call in flight to `callee` (it is exiting). */
  failInFlight(callee: ProcessRecord, error: () => Error): void {
    for (const from of callee.inFlight.values()) this.answer(from, { error: error() });
    callee.inFlight.clear();
  }

  /** Answers a process whose call went through here, if it is still running. */
  answer(from: From, answer: CallAnswer, transfer?: readonly TransferListItem[]): void {
    const caller = this.#registry.get(from.pid);
    if (caller === undefined || caller.exitReason !== undefined) return;
    try {
      this.deliver(
        caller,
        'error' in answer ? envelope.callFailed(from.ref, toWireError(answer.error)) : envelope.replyIn(from.ref, answer.value),
        'reply',
        transfer,
      );
    } catch (error) {
      this.deliver(caller, envelope.callFailed(from.ref, toWireError(error)), 'reply');
    }
  }
}
