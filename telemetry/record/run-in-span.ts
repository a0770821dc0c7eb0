import type { Attributes, Context, Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, context, trace } from '../../propagation/opentelemetry';
import { tracingOn } from '../../protocol/span-outbox';
import { runtimeTracer } from '../../protocol/runtime-tracer';

/** Marks `span` as failed by `error`: an `exception` event and error status. */
export function recordFailure(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: `${error.name}: ${error.message}` });
  } else {
    span.recordException(String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
  }
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Runs `fn` inside a new span, child of `parent`, and ends the span when `fn` settles;
 * if `fn` throws, the span records the exception first. Without `record`, `fn` just
 * runs inside `parent`, so user spans still join the caller's trace.
 *
 * Synchronous when `fn` is: a message handler that needs no await goes from receipt to
 * reply in one turn of the event loop, with no microtask hops.
 */
export function runInSpan<T>(record: boolean, name: string, kind: SpanKind, parent: Context, attributes: Attributes, fn: () => T): T {
  if (!record || !tracingOn()) return context.with(parent, fn);
  const span = runtimeTracer().startSpan(name, { kind, attributes }, parent);
  // Under an unsampled parent the tracer passes the parent's context on: nothing to end,
  // and the parent's context serves as it is.
  if (!span.isRecording() && span.spanContext() === trace.getSpanContext(parent)) return context.with(parent, fn);
  let result: T;
  try {
    result = context.with(trace.setSpan(parent, span), fn);
  } catch (error) {
    recordFailure(span, error);
    span.end();
    throw error;
  }
  if (!isPromiseLike(result)) {
    span.end();
    return result;
  }
  return endWhenSettled(span, result) as T;
}

/** Ends `span` when `running` settles, recording its failure; resolves or rejects as it does. */
export function endWhenSettled<T>(span: Span, running: PromiseLike<T>): Promise<T> {
  return Promise.resolve(running).then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      recordFailure(span, error);
      span.end();
      throw error;
    },
  );
}

/** The span kinds of the two sides of each message kind. */
export const SPAN_KINDS = {
  call: { client: SpanKind.CLIENT, server: SpanKind.SERVER },
  cast: { client: SpanKind.PRODUCER, server: SpanKind.CONSUMER },
  info: { client: SpanKind.PRODUCER, server: SpanKind.CONSUMER },
} as const;

/** Operation names: the sender's span `<label>.<send>`, the handler's `<label>.<handle>`. */
export const OPERATION_NAMES = {
  call: { send: 'call', handle: 'handle_call' },
  cast: { send: 'cast', handle: 'handle_cast' },
  info: { send: 'send', handle: 'handle_info' },
} as const;
