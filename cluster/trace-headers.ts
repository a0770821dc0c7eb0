/**
 * The W3C trace context (`traceparent`, `tracestate`, `baggage`) in NATS message headers.
 * NATS header names are case-sensitive: they are written lower-case, as W3C writes them,
 * and read whatever case they arrive in. Between machines the parent is remote
 * (`isRemote: true`), unlike a hop between threads of one process.
 */
import type { Context, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/transport-node';
import { ROOT_CONTEXT } from '../propagation/opentelemetry';
import { W3CPropagator } from '../propagation/w3c-propagator';

const propagator = new W3CPropagator();

const setter: TextMapSetter<MsgHdrs> = {
  set: (headers, key, value) => headers.set(key, value),
};

const getter: TextMapGetter<MsgHdrs> = {
  keys: (headers) => headers.keys(),
  get: (headers, key) => {
    if (headers.has(key)) return headers.get(key);
    const lower = key.toLowerCase();
    const found = headers.keys().find((name) => name.toLowerCase() === lower);
    return found === undefined ? undefined : headers.get(found);
  },
};

/** Writes `ctx`'s trace context into `headers`; returns whether there was any. */
export function injectHeaders(ctx: Context, headers: MsgHdrs): boolean {
  propagator.inject(ctx, headers, setter);
  return headers.keys().length > 0;
}

/** The sender's context from a message's headers, or the root context (a new trace) without them. Never throws. */
export function extractHeaders(headers: MsgHdrs | undefined): Context {
  if (headers === undefined) return ROOT_CONTEXT;
  try {
    return propagator.extract(ROOT_CONTEXT, headers, getter);
  } catch {
    return ROOT_CONTEXT;
  }
}
