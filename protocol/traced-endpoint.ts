/**
 * The message protocol over a port the application owns: wrap both ends of any channel
 * (a `Worker`, a `MessagePort`, a Comlink `Endpoint`) and every message carries the
 * sender's trace context, spans ended in the worker ride back on its messages, and flushes
 * reach it like any worker-otp thread. Comlink calls get a CLIENT span on the calling side
 * and a SERVER span, its child, around the exposed function.
 *
 * It records spans with the tracer worker-otp's own spans use in this thread (the slim
 * wire tracer of worker-otp's telemetry, or the application's in library mode; see
 * `runtime-tracer.ts`), so it needs nothing above the message layer.
 */
import { isMainThread } from 'node:worker_threads';
import type { Context, Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, context, trace } from '../propagation/opentelemetry';
import { envelope, isEndpointEnvelope, type EndpointEnvelope } from './envelopes';
import { FlushRequests, answerFlush } from './flush';
import { isNodeEndpoint, portOf, type EventEndpoint, type NodeMessageEndpoint, type Port } from './port';
import { runtimeTracer } from './runtime-tracer';
import { threadOutbox } from './span-outbox';
import { openSpans, openTrace, postWithSpans, stampTrace } from './stamp';

export type { EventEndpoint, NodeMessageEndpoint } from './port';

/** Options for {@link tracedEndpoint}. */
export interface TracedEndpointOptions {
  /** Prefix of the Comlink call spans: `<name>.<method>`. Default `comlink`. */
  readonly name?: string;
  /**
   * What the other end is: `child` (a worker this thread started; its spans come back
   * here) or `parent` (the thread above; this thread's spans go there). Default: `child`
   * in the main thread, `parent` in a worker thread.
   */
  readonly peer?: 'child' | 'parent';
}

/** A DOM-style message listener, as Comlink registers them. */
type Listener = ((event: { data: unknown }) => void) | { handleEvent(event: { data: unknown }): void };

const REQUEST_TYPES = new Set(['GET', 'SET', 'APPLY', 'CONSTRUCT']);

interface ComlinkRequest {
  id: string;
  type: string;
  path: string[];
}

function asComlinkRequest(message: unknown): ComlinkRequest | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { id, type, path } = message as Partial<ComlinkRequest>;
  if (typeof id !== 'string' || typeof type !== 'string' || !REQUEST_TYPES.has(type) || !Array.isArray(path)) return undefined;
  return message as ComlinkRequest;
}

function comlinkResponseId(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { id, type } = message as { id?: unknown; type?: unknown };
  return typeof id === 'string' && (type === 'RAW' || type === 'HANDLER') ? id : undefined;
}

/** Comlink sends a thrown value as `{ type: 'HANDLER', name: 'throw', value: { isError, value } }`. */
function thrownBy(response: unknown): { name?: string; message?: string; stack?: string } | undefined {
  const { type, name, value } = response as { type?: string; name?: string; value?: { isError?: boolean; value?: unknown } };
  if (type !== 'HANDLER' || name !== 'throw') return undefined;
  const thrown = value?.value;
  if (value?.isError && typeof thrown === 'object' && thrown !== null) return thrown as { name?: string; message?: string; stack?: string };
  return { message: String(thrown) };
}

function endSpanWith(span: Span, response: unknown): void {
  const thrown = thrownBy(response);
  if (thrown) {
    span.recordException({ name: thrown.name ?? 'Error', message: thrown.message ?? '', ...(thrown.stack ? { stack: thrown.stack } : {}) });
    span.setStatus({ code: SpanStatusCode.ERROR, ...(thrown.message ? { message: thrown.message } : {}) });
  }
  span.end();
}

function callListener(listener: Listener, event: { data: unknown }): void {
  if (typeof listener === 'function') listener(event);
  else listener.handleEvent(event);
}

/**
 * Wraps a message endpoint so that every message carries the sender's trace context and
 * the receiving side runs its listeners inside it. Give it a Node `Worker` or
 * `MessagePort` (or parentPort), or a Comlink `Endpoint`; use the result with
 * `Comlink.wrap` / `Comlink.expose`, or post and listen on it directly.
 *
 * For Comlink calls it also records a CLIENT span around each call on the calling side
 * and a SERVER span, its child, around the exposed function, named `<name>.<method>`.
 * Spans ended in a worker ride back to the main thread on its messages.
 *
 * Both ends must be wrapped. Messages that did not come through a traced endpoint are
 * passed to listeners unchanged.
 */
export function tracedEndpoint(endpoint: EventEndpoint | NodeMessageEndpoint, options: TracedEndpointOptions = {}): EventEndpoint {
  return new TracedEndpoint(endpoint, options).asEndpoint();
}

class TracedEndpoint {
  readonly #inner: EventEndpoint | NodeMessageEndpoint;
  readonly #port: Port;
  readonly #spanPrefix: string;
  readonly #peerIsParent: boolean;
  readonly #listeners = new Set<Listener>();
  /** Open Comlink call spans by message id: client spans here, server spans on the exposed side. */
  readonly #openSpans = new Map<string, Span>();
  readonly #flushes = new FlushRequests();
  #unlisten: (() => void) | undefined;
  #unregister: (() => void) | undefined;
  #closed = false;

  constructor(inner: EventEndpoint | NodeMessageEndpoint, options: TracedEndpointOptions) {
    if (inner === null || typeof inner !== 'object' || typeof inner.postMessage !== 'function') {
      throw new TypeError('worker-otp: tracedEndpoint(endpoint) needs a Worker, a MessagePort or a Comlink Endpoint');
    }
    this.#inner = inner;
    this.#port = portOf(this.#inner);
    this.#spanPrefix = options.name ?? 'comlink';
    this.#peerIsParent = (options.peer ?? (isMainThread ? 'child' : 'parent')) === 'parent';
    if (this.#peerIsParent) {
      this.#unregister = threadOutbox()?.addUpstream({ sendSpans: (spans) => this.#port.post(envelope.endpoint(envelope.spans(spans))) });
    }
    if (isNodeEndpoint(this.#inner)) {
      const onGone = () => this.#close();
      this.#inner.on('exit', onGone);
      this.#inner.on('close', onGone);
    }
  }

  asEndpoint(): EventEndpoint {
    return {
      postMessage: (message: unknown, transfer?: readonly unknown[]) => this.#send(message, transfer),
      addEventListener: (_type: string, listener: Listener) => this.#addListener(listener),
      removeEventListener: (_type: string, listener: Listener) => this.#removeListener(listener),
      start: () => this.#inner.start?.(),
    };
  }

  #send(message: unknown, transfer?: readonly unknown[]): void {
    const request = asComlinkRequest(message);
    const clientSpan = request ? this.#startCallSpan(request, SpanKind.CLIENT, context.active()) : undefined;
    const responseId = comlinkResponseId(message);
    if (responseId !== undefined) this.#endOpenSpan(responseId, message);
    // A reply needs no context: it ends the caller's span rather than starting work.
    const outgoing = envelope.endpointMessage(message, responseId === undefined ? stampTrace(clientSpan) : undefined);
    try {
      if (this.#peerIsParent) postWithSpans(this.#port, outgoing, 'message', transfer);
      else this.#port.post(outgoing, transfer);
    } catch (error) {
      if (clientSpan) {
        clientSpan.recordException(error as Error);
        clientSpan.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        clientSpan.end();
      }
      throw error;
    }
    if (request && clientSpan?.isRecording()) this.#openSpans.set(request.id, clientSpan);
  }

  #startCallSpan(request: ComlinkRequest, kind: SpanKind, parent: Context): Span {
    const method = request.path.join('.') || '(root)';
    return runtimeTracer().startSpan(
      `${this.#spanPrefix}.${method}`,
      { kind, attributes: { 'rpc.system': 'comlink', 'rpc.method': method, 'worker_otp.comlink.type': request.type.toLowerCase() } },
      parent,
    );
  }

  #endOpenSpan(id: string, response: unknown): void {
    const span = this.#openSpans.get(id);
    if (span === undefined) return;
    this.#openSpans.delete(id);
    endSpanWith(span, response);
  }

  readonly #onMessage = (data: unknown): void => {
    if (!isEndpointEnvelope(data)) {
      this.#dispatch(data, context.active());
      return;
    }
    openSpans(data);
    this.#receive(data);
  };

  #receive(received: EndpointEnvelope): void {
    switch (received.type) {
      case 'spans':
        return;
      case 'flushed':
        this.#flushes.acknowledge(received.id);
        return;
      case 'flush':
        void answerFlush(received, (answer) => postWithSpans(this.#port, envelope.endpoint(answer), 'flush answer'));
        return;
      case 'message': {
        const message = received.payload;
        const responseId = comlinkResponseId(message);
        if (responseId !== undefined) this.#endOpenSpan(responseId, message);
        let ctx = openTrace(received);
        const request = asComlinkRequest(message);
        if (request) {
          const serverSpan = this.#startCallSpan(request, SpanKind.SERVER, ctx);
          if (serverSpan.isRecording()) this.#openSpans.set(request.id, serverSpan);
          ctx = trace.setSpan(ctx, serverSpan);
        }
        this.#dispatch(message, ctx);
      }
    }
  }

  #dispatch(message: unknown, ctx: Context): void {
    context.with(ctx, () => {
      for (const listener of [...this.#listeners]) callListener(listener, { data: message });
    });
  }

  #requestFlush(timeoutMs: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return this.#flushes.request(timeoutMs, `the ${this.#spanPrefix} endpoint's worker`, (request) => this.#port.post(envelope.endpoint(request)));
  }

  #addListener(listener: Listener): void {
    if (this.#listeners.size === 0) this.#attach();
    this.#listeners.add(listener);
  }

  #removeListener(listener: Listener): void {
    this.#listeners.delete(listener);
    if (this.#listeners.size === 0) this.#detach();
  }

  /**
   * One listener on the real endpoint, whatever the number of ours: an envelope is
   * opened once, its spans taken once. A child is flushed only while attached, since
   * only then can its answer be heard.
   */
  #attach(): void {
    this.#unlisten = this.#port.listen(this.#onMessage);
    if (!this.#peerIsParent) {
      this.#unregister = threadOutbox()?.addDownstream({ requestFlush: (timeoutMs) => this.#requestFlush(timeoutMs) });
    }
  }

  #detach(): void {
    this.#unlisten?.();
    this.#unlisten = undefined;
    if (!this.#peerIsParent) this.#releaseOutbox();
  }

  #releaseOutbox(): void {
    this.#unregister?.();
    this.#unregister = undefined;
  }

  #close(): void {
    this.#closed = true;
    this.#releaseOutbox();
    this.#flushes.settleAll();
    for (const span of this.#openSpans.values()) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the other end of the endpoint closed before replying' });
      span.end();
    }
    this.#openSpans.clear();
  }
}
