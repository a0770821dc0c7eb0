/**
 * What crosses between nodes: payloads as V8's serialization (`v8.serialize`, the
 * structured-clone algorithm that `postMessage` uses between threads, so what a process
 * can send to a thread it can send to a node), and errors in their wire form (class,
 * code, fields and cause kept).
 */
import { deserialize, serialize } from 'node:v8';
import { PayloadNotCloneableError, fromWireError, toWireError, type WireError } from '../errors';

/** A message to a process: its kind, the local name it is registered under, the payload, and (a call) the caller's timeout. */
export type ProcessMessage = readonly ['call' | 'cast' | 'info', string, unknown, number?];

/** How a remote call or task ended: `[1, value]` or `[0, error]`. */
export type Outcome = readonly [1, unknown] | readonly [0, WireError];

/** Serializes `value`; throws `PayloadNotCloneableError` naming `what` when it cannot be. */
export function encode(value: unknown, what: string): Uint8Array {
  try {
    return serialize(value);
  } catch (error) {
    throw new PayloadNotCloneableError(what, error);
  }
}

export function decode<T>(bytes: Uint8Array): T {
  return deserialize(bytes) as T;
}

/** The outcome of a value, or of what was thrown; a value that cannot be serialized becomes its error. */
export function encodeOutcome(outcome: { value: unknown } | { error: unknown }, what: string): Uint8Array {
  if ('error' in outcome) return serialize([0, toWireError(outcome.error)]);
  try {
    return serialize([1, outcome.value]);
  } catch (error) {
    return serialize([0, toWireError(new PayloadNotCloneableError(what, error))]);
  }
}

/** The value of an outcome, or its error thrown. */
export function openOutcome(outcome: Outcome): unknown {
  if (outcome[0] === 1) return outcome[1];
  throw fromWireError(outcome[1]);
}
