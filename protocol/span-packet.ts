/**
 * Ended spans as they travel from the thread that recorded them to the one that exports
 * them: a list of `WireSpan`s (plain data, cloned as is), or, with the OTLP exporter, the
 * same spans already encoded by the recording thread (`EncodedSpans`), so the exporting
 * thread copies bytes instead of rebuilding span objects. Times are on the clock every
 * thread shares (see `telemetry/record/shared-clock.ts`).
 */
import type { Attributes, HrTime, SpanKind, SpanStatus } from '@opentelemetry/api';

/** SpanStatusCode.ERROR, without loading the API here. */
const STATUS_ERROR = 2;

export interface WireSpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  traceState?: string;
  isRemote?: boolean;
}

/** An event on a span, at a time on the shared clock. */
export interface WireSpanEvent {
  name: string;
  time: HrTime;
  attributes?: Attributes;
  droppedAttributesCount?: number;
}

/** Who recorded a span (OpenTelemetry's instrumentation scope). */
export interface WireScope {
  readonly name: string;
  readonly version?: string | undefined;
  readonly schemaUrl?: string | undefined;
}

/** An ended span in the form it crosses threads in. */
export interface WireSpan {
  name: string;
  kind: SpanKind;
  context: WireSpanContext;
  parent?: WireSpanContext;
  startTime: HrTime;
  endTime: HrTime;
  status: SpanStatus;
  attributes: Attributes;
  events: WireSpanEvent[];
  links: Array<{ context: WireSpanContext; attributes?: Attributes; droppedAttributesCount?: number }>;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
  scope: WireScope;
}

/** Enough of a span to link to it. */
export interface SpanMark {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  readonly failed: boolean;
}

export interface EncodedSpans {
  /**
   * OTLP `ScopeSpans` fields (field 2 of a `ResourceSpans`), to go under the exporter's
   * resource, one byte per character (latin1). A string because a message carrying one is
   * cloned with a copy: a Uint8Array of the same ~250 bytes made each reply ~1.5 µs dearer
   * to post and receive (measured on a MessageChannel, Node 20).
   */
  readonly otlp: string;
  readonly count: number;
  /** The last failed span, else the last span: what a restart span links to. */
  readonly mark: SpanMark;
}

/**
 * Spans flattened for the crossing (see {@link packSpan}), when nobody encodes them: a span
 * as a flat array clones in ~1.5 µs more than a message without it, as an object graph in
 * ~5 µs more (measured on a MessageChannel, Node 20).
 */
export interface PackedSpans {
  readonly packed: ReadonlyArray<readonly unknown[]>;
}

/** Spans as they cross threads. In the thread that records them, and where they are exported, they are `WireSpan`s. */
export type SpanPacket = readonly WireSpan[] | EncodedSpans | PackedSpans;

export function isEncoded<T extends object>(value: T | EncodedSpans): value is EncodedSpans {
  return typeof (value as Partial<EncodedSpans>).otlp === 'string';
}

export function isPacked<T extends object>(value: T | PackedSpans): value is PackedSpans {
  return Array.isArray((value as Partial<PackedSpans>).packed);
}

/*
 * A packed span, by position: name, kind, traceId, spanId, traceFlags, traceState, the
 * parent's traceId, spanId, traceFlags, traceState and isRemote (undefined without a
 * parent), start and end (seconds, nanoseconds), status message and code, the attributes
 * as one flat key, value, key, value list, events and links (undefined when none), the
 * three dropped counts, and the scope's name, version and schemaUrl.
 */
const STATUS_CODE_AT = 16;
const TRACE_ID_AT = 2;
const SPAN_ID_AT = 3;
const TRACE_FLAGS_AT = 4;

/** `span` as one flat array of plain values, for the crossing to another thread. */
export function packSpan(span: WireSpan): unknown[] {
  const { context, parent, attributes } = span;
  const flatAttributes: unknown[] = [];
  for (const key of Object.keys(attributes)) flatAttributes.push(key, attributes[key]);
  return [
    span.name, span.kind, context.traceId, context.spanId, context.traceFlags, context.traceState,
    parent?.traceId, parent?.spanId, parent?.traceFlags, parent?.traceState, parent?.isRemote,
    span.startTime[0], span.startTime[1], span.endTime[0], span.endTime[1],
    span.status.message, span.status.code, flatAttributes,
    span.events.length > 0 ? span.events : undefined, span.links.length > 0 ? span.links : undefined,
    span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount,
    span.scope.name, span.scope.version, span.scope.schemaUrl,
  ];
}

function wireContext(traceId: unknown, spanId: unknown, traceFlags: unknown, traceState: unknown, isRemote?: unknown): WireSpanContext {
  const context: WireSpanContext = { traceId: traceId as string, spanId: spanId as string, traceFlags: traceFlags as number };
  if (traceState !== undefined) context.traceState = traceState as string;
  if (isRemote) context.isRemote = true;
  return context;
}

/** The span {@link packSpan} flattened. */
export function unpackSpan(packed: readonly unknown[]): WireSpan {
  const flatAttributes = packed[17] as readonly unknown[];
  const attributes: Attributes = {};
  for (let index = 0; index < flatAttributes.length; index += 2) attributes[flatAttributes[index] as string] = flatAttributes[index + 1] as Attributes[string];
  const span: WireSpan = {
    name: packed[0] as string,
    kind: packed[1] as SpanKind,
    context: wireContext(packed[2], packed[3], packed[4], packed[5]),
    startTime: [packed[11] as number, packed[12] as number],
    endTime: [packed[13] as number, packed[14] as number],
    status: packed[15] === undefined ? { code: packed[16] as number } : { code: packed[16] as number, message: packed[15] as string },
    attributes,
    events: (packed[18] as WireSpanEvent[] | undefined) ?? [],
    links: (packed[19] as WireSpan['links'] | undefined) ?? [],
    droppedAttributesCount: packed[20] as number,
    droppedEventsCount: packed[21] as number,
    droppedLinksCount: packed[22] as number,
    scope: { name: packed[23] as string, version: packed[24] as string | undefined, schemaUrl: packed[25] as string | undefined },
  };
  if (packed[7] !== undefined) span.parent = wireContext(packed[6], packed[7], packed[8], packed[9], packed[10]);
  return span;
}

function markOf(span: WireSpan): SpanMark {
  const { traceId, spanId, traceFlags } = span.context;
  return { traceId, spanId, traceFlags, failed: span.status.code === STATUS_ERROR };
}

/** The span a restart links to: the last failed one, else the last one. */
export function markOfPacket(packet: SpanPacket): SpanMark | undefined {
  if (isEncoded(packet)) return packet.mark;
  if (isPacked(packet)) {
    const chosen = packet.packed.findLast((span) => span[STATUS_CODE_AT] === STATUS_ERROR) ?? packet.packed.at(-1);
    return chosen && { traceId: chosen[TRACE_ID_AT] as string, spanId: chosen[SPAN_ID_AT] as string, traceFlags: chosen[TRACE_FLAGS_AT] as number, failed: chosen[STATUS_CODE_AT] === STATUS_ERROR };
  }
  const failed = packet.findLast((span) => span.status.code === STATUS_ERROR);
  const chosen = failed ?? packet.at(-1);
  return chosen && markOf(chosen);
}

/** One packet of several encoded ones, in order. */
export function joinEncoded(packets: readonly EncodedSpans[]): EncodedSpans {
  if (packets.length === 1) return packets[0]!;
  let otlp = '';
  let count = 0;
  let mark = packets[0]!.mark;
  for (const packet of packets) {
    otlp += packet.otlp;
    count += packet.count;
    if (packet.mark.failed || !mark.failed) mark = packet.mark;
  }
  return { otlp, count, mark };
}
