import type { Attributes, AttributeValue, Context, Exception, HrTime, Link, Span, SpanContext, SpanKind, SpanOptions, SpanStatus, TimeInput, Tracer, TracerOptions, TracerProvider } from '@opentelemetry/api';
import { SpanStatusCode, TraceFlags, context as contextApi, diag, trace } from '../../propagation/opentelemetry';

import { ATTR_THREAD_ID, ATTR_THREAD_NAME } from './attributes';
import { rootSampled, type SamplerConfig } from './sampling';
import { sharedClockNow, type ClockAnchor } from './shared-clock';
import type { SpanOutbox } from '../../protocol/span-outbox';
import type { WireSpan, WireSpanEvent } from '../../protocol/span-packet';
import { isTracingSuppressed, isValidSpanContext } from '../../propagation/w3c-propagator';

/** W3C level 2's random-trace-id flag (https://www.w3.org/TR/trace-context-2/#random-trace-id-flag). */
const RANDOM_TRACE_ID = 0x02;

/** The SDK's default span limits, which the main thread applies too. */
const MAX_ATTRIBUTES = 128;
const MAX_EVENTS = 128;
const MAX_LINKS = 128;

/** What every span of a thread shares. */
interface ThreadTracing {
  readonly sampler: SamplerConfig;
  readonly clock: ClockAnchor;
  /** Where ended spans go: the thread's relay. */
  readonly relay: SpanOutbox;
  readonly threadId: number;
  readonly threadName: string;
}

/** Two hex digits per byte value: formatting numbers in base 16 costs several times more. */
const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * A random id of `bytes` bytes (a multiple of 4), never all zeros (which W3C reserves as
 * invalid). Math.random, as the SDK's id generator uses: ids must be unique, not secret.
 */
function randomId(bytes: number): string {
  for (;;) {
    let id = '';
    let zero = true;
    for (let index = 0; index < bytes; index += 4) {
      const random = (Math.random() * 0x1_0000_0000) >>> 0;
      if (random !== 0) zero = false;
      id += BYTE_HEX[random >>> 24]! + BYTE_HEX[(random >>> 16) & 0xff]! + BYTE_HEX[(random >>> 8) & 0xff]! + BYTE_HEX[random & 0xff]!;
    }
    if (!zero) return id;
  }
}

function isPrimitiveAttribute(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

function isAttributeValue(value: unknown): value is AttributeValue {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.every((item) => item === null || item === undefined || isPrimitiveAttribute(item));
  return isPrimitiveAttribute(value);
}

/** Converts the API's TimeInput onto the shared clock's `[seconds, nanos]`. */
function toHrTime(time: TimeInput): HrTime {
  if (Array.isArray(time)) return time as HrTime;
  const millis = time instanceof Date ? time.getTime() : time < performance.timeOrigin / 2 ? performance.timeOrigin + time : time;
  const seconds = Math.floor(millis / 1000);
  return [seconds, Math.round((millis - seconds * 1000) * 1e6)];
}

/**
 * A span born in the shape it travels in (see `protocol/span-packet.ts`): when it ends it goes
 * straight to the thread's relay, towards the export pipeline in the main thread.
 */
class RecordingSpan implements Span {
  readonly #thread: ThreadTracing;
  readonly #wire: WireSpan;
  readonly #spanContext: SpanContext;
  #attributeCount = 0;
  #ended = false;

  constructor(thread: ThreadTracing, name: string, kind: SpanKind, spanContext: SpanContext, parent: SpanContext | undefined, options: SpanOptions, scope: WireSpan['scope']) {
    this.#thread = thread;
    this.#spanContext = spanContext;
    const start = options.startTime === undefined ? sharedClockNow(thread.clock) : toHrTime(options.startTime);
    const context: WireSpan['context'] = { traceId: spanContext.traceId, spanId: spanContext.spanId, traceFlags: spanContext.traceFlags };
    if (spanContext.traceState) context.traceState = spanContext.traceState.serialize();
    this.#wire = {
      name,
      kind,
      context,
      startTime: start,
      endTime: start,
      status: { code: SpanStatusCode.UNSET },
      attributes: {},
      events: [],
      links: [],
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
      scope,
    };
    if (parent) {
      this.#wire.parent = { traceId: parent.traceId, spanId: parent.spanId, traceFlags: parent.traceFlags };
      if (parent.isRemote) this.#wire.parent.isRemote = true;
    }
    if (options.attributes) this.setAttributes(options.attributes);
    this.setAttribute(ATTR_THREAD_ID, thread.threadId);
    this.setAttribute(ATTR_THREAD_NAME, thread.threadName);
    if (options.links) this.addLinks(options.links);
  }

  spanContext(): SpanContext {
    return this.#spanContext;
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (this.#ended || !key || !isAttributeValue(value)) return this;
    const attributes = this.#wire.attributes;
    if (!(key in attributes)) {
      if (this.#attributeCount >= MAX_ATTRIBUTES) {
        this.#wire.droppedAttributesCount += 1;
        return this;
      }
      this.#attributeCount += 1;
    }
    attributes[key] = value;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key of Object.keys(attributes)) this.setAttribute(key, attributes[key]);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.#ended) return this;
    if (this.#wire.events.length >= MAX_EVENTS) {
      this.#wire.droppedEventsCount += 1;
      return this;
    }
    const isTime = typeof attributesOrTime === 'number' || attributesOrTime instanceof Date || Array.isArray(attributesOrTime);
    const attributes = isTime || attributesOrTime === undefined ? undefined : (attributesOrTime as Attributes);
    const at = isTime ? (attributesOrTime as TimeInput) : time;
    const event: WireSpanEvent = { name, time: at === undefined ? sharedClockNow(this.#thread.clock) : toHrTime(at), droppedAttributesCount: 0 };
    if (attributes) event.attributes = Object.fromEntries(Object.entries(attributes).filter(([, value]) => isAttributeValue(value)));
    this.#wire.events.push(event);
    return this;
  }

  addLink(link: Link): this {
    if (this.#ended) return this;
    if (this.#wire.links.length >= MAX_LINKS) {
      this.#wire.droppedLinksCount += 1;
      return this;
    }
    const { traceId, spanId, traceFlags, traceState } = link.context;
    this.#wire.links.push({
      context: { traceId, spanId, traceFlags, ...(traceState ? { traceState: traceState.serialize() } : {}) },
      ...(link.attributes ? { attributes: link.attributes } : {}),
    });
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.#ended) return this;
    // As in the SDK: OK is final, and a message goes only with ERROR.
    if (this.#wire.status.code === SpanStatusCode.OK) return this;
    this.#wire.status = status.code === SpanStatusCode.ERROR ? { ...status } : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.#ended) this.#wire.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.#ended) {
      diag.debug(`worker-otp: span ${this.#wire.name} ended twice; the second end is ignored`);
      return;
    }
    this.#ended = true;
    this.#wire.endTime = endTime === undefined ? sharedClockNow(this.#thread.clock) : toHrTime(endTime);
    this.#thread.relay.accept([this.#wire]);
  }

  isRecording(): boolean {
    return !this.#ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception) {
      const type = exception.code ?? exception.name;
      if (type !== undefined) attributes['exception.type'] = String(type);
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    this.addEvent('exception', attributes, time);
  }
}

class WireTracer implements Tracer {
  readonly #thread: ThreadTracing;
  readonly #scope: WireSpan['scope'];

  constructor(thread: ThreadTracing, scope: WireSpan['scope']) {
    this.#thread = thread;
    this.#scope = scope;
  }

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = contextApi.active()): Span {
    if (isTracingSuppressed(ctx)) return trace.wrapSpanContext({ traceId: '', spanId: '', traceFlags: TraceFlags.NONE });
    const candidate = options.root ? undefined : trace.getSpanContext(ctx);
    const parent = candidate && isValidSpanContext(candidate) ? candidate : undefined;
    // Parent-based: a worker follows the decision of whoever started the trace. Under an
    // unsampled parent nothing is recorded and the parent's context goes on unchanged (a
    // pass-through, as W3C allows): no ids to make on the message path.
    if (parent && (parent.traceFlags & TraceFlags.SAMPLED) === 0) return trace.wrapSpanContext(parent);
    const traceId = parent?.traceId ?? randomId(16);
    const sampled = parent !== undefined || rootSampled(this.#thread.sampler, traceId);
    // W3C level 2: a child keeps its parent's random-trace-id flag; a root's id is random.
    const random = parent ? parent.traceFlags & RANDOM_TRACE_ID : RANDOM_TRACE_ID;
    const spanContext: SpanContext = {
      traceId,
      spanId: randomId(8),
      traceFlags: random | (sampled ? TraceFlags.SAMPLED : TraceFlags.NONE),
      ...(parent?.traceState ? { traceState: parent.traceState } : {}),
    };
    if (!sampled) return trace.wrapSpanContext(spanContext);
    return new RecordingSpan(this.#thread, name, options.kind ?? 0, spanContext, parent, options, this.#scope);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = rest.length >= 2 ? (rest[0] as SpanOptions) : {};
    const parent = rest.length === 3 ? (rest[1] as Context) : contextApi.active();
    const span = this.startSpan(name, options, parent);
    return contextApi.with(trace.setSpan(parent, span), fn as (span: Span) => ReturnType<F>, undefined, span);
  }
}

/**
 * A tracer provider whose spans are born in wire form and go to the thread's relay: what
 * every worker thread uses in place of the SDK (which a thread would spend ~40 ms
 * loading), and what the main thread records worker-otp's own spans with (a span here
 * costs a fraction of an SDK span). Sampling is parent-based, with the ratio configured
 * for the process at the root.
 */
export class WireTracerProvider implements TracerProvider {
  readonly #thread: ThreadTracing;
  readonly #tracers = new Map<string, WireTracer>();

  constructor(thread: ThreadTracing) {
    this.#thread = thread;
  }

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
    let tracer = this.#tracers.get(key);
    if (!tracer) {
      tracer = new WireTracer(this.#thread, { name, version, schemaUrl: options?.schemaUrl });
      this.#tracers.set(key, tracer);
    }
    return tracer;
  }
}
