/**
 * What crosses between nodes: payloads as V8's serialization (`v8.serialize`, the
 * structured-clone algorithm that `postMessage` uses between threads, so what a process
 * can send to a thread it can send to a node), and errors in their wire form (class,
 * code, fields and cause kept).
 */
import { deserialize, serialize } from 'node:v8';
import type { NatsConnection } from '@nats-io/transport-node';
import { ClusterError, PayloadNotCloneableError, fromWireError, toWireError, type WireError } from '../errors';

/** Room left for the headers (trace context) within the server's `max_payload`. */
const HEADERS_ROOM = 4096;

/** The most bytes a message body may have on `nc`'s server (its `max_payload`, 1 MiB by default, less room for headers). */
export function bodyLimit(nc: NatsConnection): number {
  return (nc.info?.max_payload ?? 1024 * 1024) - HEADERS_ROOM;
}

/** A message to a process: its kind, the local name it is registered under, the payload, and (a call) the caller's timeout. */
export type ProcessMessage = readonly ['call' | 'cast' | 'info', string, unknown, number?];

/** How a remote call or task ended: `[1, value]` or `[0, error]`. */
export type Outcome = readonly [1, unknown] | readonly [0, WireError];

/**
 * Serializes `value`; throws `PayloadNotCloneableError` naming `what` when it cannot be,
 * and `ClusterError` (`ERR_PAYLOAD_TOO_LARGE`) when it is longer than `limit` bytes.
 */
export function encode(value: unknown, what: string, limit: number): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = serialize(value);
  } catch (error) {
    throw new PayloadNotCloneableError(what, error);
  }
  if (bytes.length > limit) throw ClusterError.payloadTooLarge(what, bytes.length, limit);
  return bytes;
}

export function decode<T>(bytes: Uint8Array): T {
  return deserialize(bytes) as T;
}

/** The outcome of a value, or of what was thrown; a value that cannot be sent (not serializable, or longer than `limit`) becomes its error. */
export function encodeOutcome(outcome: { value: unknown } | { error: unknown }, what: string, limit: number): Uint8Array {
  if ('error' in outcome) return serialize([0, toWireError(outcome.error)]);
  try {
    return encode([1, outcome.value], what, limit);
  } catch (error) {
    return serialize([0, toWireError(error)]);
  }
}

/** The value of an outcome, or its error thrown. */
export function openOutcome(outcome: Outcome): unknown {
  if (outcome[0] === 1) return outcome[1];
  throw fromWireError(outcome[1]);
}
