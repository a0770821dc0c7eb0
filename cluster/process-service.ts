/**
 * The other side of `RemoteCalls`: a subscription that hands what other nodes send to
 * processes of this program, in the sender's trace context, and answers calls. The call
 * is made as a local one, with the caller's timeout, so its spans, errors and mailbox
 * limits are those of a local call.
 */
import { context, diag } from '@opentelemetry/api';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { DEFAULT_CALL_TIMEOUT_MS, call, cast, send } from '../runtime/client';
import type { ProcessRef } from '../protocol/pid';
import { extractHeaders } from './trace-headers';
import { bodyLimit, decode, encodeOutcome, type ProcessMessage } from './wire';

const KINDS = new Set<unknown>(['call', 'cast', 'info']);

/** Serves `subject`: `target` says which local process a message's name stands for. */
export function serveProcesses(nc: NatsConnection, subject: string, target: (name: string) => ProcessRef): Subscription {
  return nc.subscribe(subject, { callback: (_error, message) => deliver(nc, message, target) });
}

function deliver(nc: NatsConnection, message: Msg, target: (name: string) => ProcessRef): void {
  let kind: ProcessMessage[0];
  let name: string;
  let payload: unknown;
  let timeoutMs: number | undefined;
  try {
    [kind, name, payload, timeoutMs] = decode<ProcessMessage>(message.data);
    if (!KINDS.has(kind) || typeof name !== 'string' || (timeoutMs !== undefined && typeof timeoutMs !== 'number')) throw new TypeError('not a process message');
  } catch (error) {
    diag.debug(`worker-otp cluster: dropped a message on ${message.subject} that is not worker-otp's`, error);
    return;
  }
  const ctx = extractHeaders(message.headers);
  if (kind === 'call') {
    context.with(ctx, () => call(target(name), payload, { timeoutMs: timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS })).then(
      (value) => message.respond(encodeOutcome({ value }, 'reply', bodyLimit(nc))),
      (error: unknown) => message.respond(encodeOutcome({ error }, 'reply', bodyLimit(nc))),
    );
    return;
  }
  try {
    context.with(ctx, () => (kind === 'cast' ? cast(target(name), payload) : send(target(name), payload)));
  } catch (error) {
    diag.debug(`worker-otp cluster: a ${kind} to ${name} from another node was dropped (${(error as Error).message})`);
  }
}
