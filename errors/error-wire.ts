import * as catalogue from './catalogue';
import { describeValue } from './describe';
import { RemoteError, WorkerOtpError } from './worker-otp-error';

/**
 * An error as it crosses a thread. Structured cloning keeps an error's message and stack
 * but loses its class, `code` and any field of its own; this form keeps them, and the
 * receiving side rebuilds the class (worker-otp's own, or a built-in one).
 */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  cause?: WireError;
  /** The error's own enumerable fields (`code` and the like) that can be cloned. */
  fields?: Record<string, unknown>;
}

const BUILT_IN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

const KNOWN: Record<string, { prototype: Error }> = Object.fromEntries(
  Object.entries({ ...catalogue, WorkerOtpError, RemoteError } as Record<string, unknown>).filter(
    (entry): entry is [string, { prototype: Error }] => typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
  ),
);

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** Turns anything thrown into its wire form. A thrown non-Error becomes a plain `Error`. */
export function toWireError(thrown: unknown, depth = 0): WireError {
  if (!(thrown instanceof Error)) {
    return { name: 'Error', message: `non-error value thrown: ${describeValue(thrown)}` };
  }
  const wire: WireError = { name: thrown.name, message: thrown.message };
  if (thrown.stack) wire.stack = thrown.stack;
  // Causes can be cyclic; a few levels tell the story.
  if (thrown.cause !== undefined && depth < 4) wire.cause = toWireError(thrown.cause, depth + 1);
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(thrown)) {
    if (key !== 'name' && key !== 'message' && key !== 'stack' && key !== 'cause' && cloneable(value)) fields[key] = value;
  }
  if (Object.keys(fields).length > 0) wire.fields = fields;
  return wire;
}

/** Rebuilds an error from its wire form, with its class where this thread knows it. */
export function fromWireError(wire: WireError): Error {
  const known = KNOWN[wire.name];
  const error: Error = known
    ? (Object.create(known.prototype) as Error)
    : BUILT_IN[wire.name]
      ? new BUILT_IN[wire.name]!(wire.message)
      : new RemoteError(wire.name, wire.message);
  const props: PropertyDescriptorMap = {
    message: { value: wire.message, writable: true, configurable: true },
    name: { value: wire.name, writable: true, configurable: true },
    stack: { value: wire.stack ?? `${wire.name}: ${wire.message}`, writable: true, configurable: true },
  };
  if (wire.cause) props.cause = { value: fromWireError(wire.cause), writable: true, configurable: true };
  Object.defineProperties(error, props);
  if (wire.fields) Object.assign(error, wire.fields);
  return error;
}

/** Whether `error` is the DataCloneError postMessage throws for a value it cannot clone. */
export function isDataCloneError(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'DataCloneError';
}
