import { isMainThread } from 'node:worker_threads';
import type { Context, Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, context, diag, trace } from './opentelemetry';
import type { Endpoint } from 'comlink';
import { ATTR_RPC_METHOD, ATTR_RPC_SYSTEM } from './attributes';
import { FlushTimeoutError } from './errors';
import { FlushRequests } from './flush-requests';
import { getThreadSpanRelay } from './span-relay';
import type { SpanPacket } from './span-packet';
import { extractTraceContext, injectTraceCarrier, type WireContext } from './trace-carrier';
import { runtimeTracer } from './tracer';

/**
 * The envelope every message takes on a traced endpoint. The tag is a string key
 * because symbols do not survive structured cloning.
 */
interface TracedEnvelope {
  __worker_otp: 1;
  payload?: unknown;
  trace?: WireContext;
  spans?: SpanPacket;
  flush?: { id: number; timeoutMs: number };
  flushed?: number;
}

/** A Node message port or Worker, as the Comlink node adapter accepts them. */
export interface NodeMessageEndpoint {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  start?: () => void;
}

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

/** Comlink's `Endpoint` in the shape this module calls it (its DOM types are not in Node's lib). */
interface EventEndpoint {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?: () => void;
}

const REQUEST_TYPES = new Set(['GET', 'SET', 'APPLY', 'CONSTRUCT']);

interface ComlinkRequest {
  id: string;
  type: string;
  path: string[];
}

function isEnvelope(data: unknown): data is TracedEnvelope {
  return typeof data === 'object' && data !== null && (data as TracedEnvelope).__worker_otp === 1;
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

function isNodeEndpoint(endpoint: Endpoint | NodeMessageEndpoint): endpoint is NodeMessageEndpoint {
  return typeof (endpoint as NodeMessageEndpoint).on === 'function' && typeof (endpoint as NodeMessageEndpoint).off === 'function';
}

/**
 * Wraps a message endpoint so that every message carries the sender's trace context and
 * the receiving side runs its listeners inside it. Give it a Node `Worker` or
 * `MessagePort` (or parentPort), or a Comlink `Endpoint`; use the result with
 * `Comlink.wrap` / `Comlink.expose`, or post and listen on it directly.
 *
 * For Comlink calls it also records a CLIENT span around each call on the calling side
 * and a SERVER span, its child, around the exposed function, named `<name>.<method>`.
 * Spans ended in a worker ride back to the main thread on the replies.
 *
 * Both ends must be wrapped. Messages that did not come through a traced endpoint are
 * passed to listeners unchanged.
 */
export function tracedEndpoint(endpoint: Endpoint | NodeMessageEndpoint, options: TracedEndpointOptions = {}): Endpoint {
  return new TracedEndpoint(endpoint, options).asEndpoint();
}

class TracedEndpoint {
  readonly #inner: Endpoint | NodeMessageEndpoint;
  readonly #spanPrefix: string;
  readonly #peerIsParent: boolean;
  readonly #listeners = new Set<Listener>();
  /** Open Comlink call spans by message id: client spans here, server spans on the exposed side. */
  readonly #openSpans = new Map<string, Span>();
  readonly #flushes = new FlushRequests();
  #unregister: (() => void) | undefined;
  #closed = false;

  constructor(inner: Endpoint | NodeMessageEndpoint, options: TracedEndpointOptions) {
    if (inner === null || typeof inner !== 'object' || typeof inner.postMessage !== 'function') {
      throw new TypeError('worker-otp: tracedEndpoint(endpoint) needs a Worker, a MessagePort or a Comlink Endpoint');
    }
    this.#inner = inner;
    this.#spanPrefix = options.name ?? 'comlink';
    this.#peerIsParent = (options.peer ?? (isMainThread ? 'child' : 'parent')) === 'parent';
    if (this.#peerIsParent) {
      this.#unregister = getThreadSpanRelay()?.addUpstream({ sendSpans: (spans) => this.#post({ __worker_otp: 1, spans }) });
    }
    if (isNodeEndpoint(inner)) {
      const onGone = () => this.#close();
      inner.on('exit', onGone);
      inner.on('close', onGone);
    }
  }

  asEndpoint(): Endpoint {
    return {
      postMessage: (message: unknown, transfer?: readonly unknown[]) => this.#send(message, transfer),
      addEventListener: (_type: string, listener: Listener) => this.#addListener(listener),
      removeEventListener: (_type: string, listener: Listener) => this.#removeListener(listener),
      start: () => (this.#inner as { start?: () => void }).start?.(),
    } as Endpoint;
  }

  #send(message: unknown, transfer?: readonly unknown[]): void {
    let ctx = context.active();
    const request = asComlinkRequest(message);
    let clientSpan: Span | undefined;
    if (request) {
      clientSpan = this.#startCallSpan(request, SpanKind.CLIENT, ctx);
      ctx = trace.setSpan(ctx, clientSpan);
    }
    const responseId = comlinkResponseId(message);
    if (responseId !== undefined) {
      const serverSpan = this.#openSpans.get(responseId);
      if (serverSpan) {
        this.#openSpans.delete(responseId);
        endSpanWith(serverSpan, message);
      }
    }
    const envelope: TracedEnvelope = { __worker_otp: 1, payload: message };
    // A reply needs no context: it ends the caller's span rather than starting work.
    const wire = responseId === undefined ? injectTraceCarrier(ctx) : undefined;
    if (wire !== undefined) envelope.trace = wire;
    const spans = this.#peerIsParent ? getThreadSpanRelay()?.take() : undefined;
    if (spans) envelope.spans = spans;
    try {
      this.#post(envelope, transfer);
    } catch (error) {
      if (spans) getThreadSpanRelay()?.accept(spans);
      if (clientSpan) {
        clientSpan.recordException(error as Error);
        clientSpan.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        clientSpan.end();
      }
      throw error;
    }
    if (request && clientSpan?.isRecording()) this.#openSpans.set(request.id, clientSpan);
  }

  #post(envelope: TracedEnvelope, transfer?: readonly unknown[]): void {
    const inner = this.#inner as EventEndpoint;
    if (transfer && transfer.length > 0) inner.postMessage(envelope, transfer);
    else inner.postMessage(envelope);
  }

  #startCallSpan(request: ComlinkRequest, kind: SpanKind, parent: Context): Span {
    const method = request.path.join('.') || '(root)';
    return runtimeTracer().startSpan(
      `${this.#spanPrefix}.${method}`,
      { kind, attributes: { [ATTR_RPC_SYSTEM]: 'comlink', [ATTR_RPC_METHOD]: method, 'worker_otp.comlink.type': request.type.toLowerCase() } },
      parent,
    );
  }

  readonly #onMessage = (...args: unknown[]): void => {
    // Node emitters pass the data itself; EventTarget-style endpoints pass an event.
    const data = isNodeEndpoint(this.#inner) ? args[0] : (args[0] as { data?: unknown } | undefined)?.data;
    if (!isEnvelope(data)) {
      this.#dispatch(data, context.active());
      return;
    }
    if (data.spans) getThreadSpanRelay()?.accept(data.spans);
    if (data.flushed !== undefined) {
      this.#flushes.acknowledge(data.flushed);
      return;
    }
    if (data.flush !== undefined) {
      void this.#answerFlush(data.flush.id, data.flush.timeoutMs);
      return;
    }
    if (!('payload' in data)) return;
    const message = data.payload;
    const responseId = comlinkResponseId(message);
    if (responseId !== undefined) {
      const clientSpan = this.#openSpans.get(responseId);
      if (clientSpan) {
        this.#openSpans.delete(responseId);
        endSpanWith(clientSpan, message);
      }
    }
    let ctx = extractTraceContext(data.trace);
    const request = asComlinkRequest(message);
    if (request) {
      const serverSpan = this.#startCallSpan(request, SpanKind.SERVER, ctx);
      if (serverSpan.isRecording()) this.#openSpans.set(request.id, serverSpan);
      ctx = trace.setSpan(ctx, serverSpan);
    }
    this.#dispatch(message, ctx);
  };

  #dispatch(message: unknown, ctx: Context): void {
    context.with(ctx, () => {
      for (const listener of [...this.#listeners]) callListener(listener, { data: message });
    });
  }

  async #answerFlush(id: number, timeoutMs: number): Promise<void> {
    const relay = getThreadSpanRelay();
    await relay?.flushDownstream(timeoutMs);
    const envelope: TracedEnvelope = { __worker_otp: 1, flushed: id };
    const spans = relay?.take();
    if (spans) envelope.spans = spans;
    this.#post(envelope);
  }

  #requestFlush(timeoutMs: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return this.#flushes.request(
      timeoutMs,
      (id) => this.#post({ __worker_otp: 1, flush: { id, timeoutMs } }),
      () => diag.warn(new FlushTimeoutError(timeoutMs).message),
    );
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
    const inner = this.#inner;
    if (isNodeEndpoint(inner)) inner.on('message', this.#onMessage);
    else (inner as EventEndpoint).addEventListener('message', this.#onMessage);
    if (!this.#peerIsParent) {
      this.#unregister = getThreadSpanRelay()?.addDownstream({ requestFlush: (timeoutMs) => this.#requestFlush(timeoutMs) });
    }
  }

  #detach(): void {
    const inner = this.#inner;
    if (isNodeEndpoint(inner)) inner.off('message', this.#onMessage);
    else (inner as EventEndpoint).removeEventListener('message', this.#onMessage);
    if (!this.#peerIsParent) this.#releaseRelay();
  }

  #releaseRelay(): void {
    this.#unregister?.();
    this.#unregister = undefined;
  }

  #close(): void {
    this.#closed = true;
    this.#releaseRelay();
    this.#flushes.settleAll();
    for (const span of this.#openSpans.values()) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the other end of the endpoint closed before replying' });
      span.end();
    }
    this.#openSpans.clear();
  }
}
