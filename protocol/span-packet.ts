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

export type SpanPacket = readonly WireSpan[] | EncodedSpans;

export function isEncoded<T extends object>(value: T | EncodedSpans): value is EncodedSpans {
  return typeof (value as Partial<EncodedSpans>).otlp === 'string';
}

export function packetSize(packet: SpanPacket): number {
  return isEncoded(packet) ? packet.count : packet.length;
}

function markOf(span: WireSpan): SpanMark {
  const { traceId, spanId, traceFlags } = span.context;
  return { traceId, spanId, traceFlags, failed: span.status.code === STATUS_ERROR };
}

/** The span a restart links to: the last failed one, else the last one. */
export function markOfPacket(packet: SpanPacket): SpanMark | undefined {
  if (isEncoded(packet)) return packet.mark;
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
