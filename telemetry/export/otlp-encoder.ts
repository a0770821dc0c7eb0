/**
 * Encodes finished spans as OTLP protobuf, in one pass over the spans straight into a
 * reusable buffer: a whole `ExportTraceServiceRequest` on the main thread, `ScopeSpans`
 * in the threads that recorded the spans (see `span-packet.ts`). It is the hottest export
 * path, so there is no
 * intermediate object tree, and a nested message's length is written after its content
 * (into bytes reserved by a guess of its size; the content moves in the rare case the
 * guess was wrong).
 *
 * Field numbers are those of opentelemetry/proto (trace/v1/trace.proto,
 * common/v1/common.proto, resource/v1/resource.proto, collector/trace/v1/trace_service.proto).
 */
import type { Attributes, AttributeValue, HrTime, TraceState } from '@opentelemetry/api';
import type { SdkReadableSpan as ReadableSpan, SdkResource as Resource } from '../sdk-types';
import { isEncoded, type EncodedSpans, type WireScope, type WireSpan, type WireSpanEvent } from '../../protocol/span-packet';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

/** Span.flags: the W3C trace flags, and whether the parent's remoteness is known / remote. */
const FLAGS_HAS_IS_REMOTE = 0x100;
const FLAGS_IS_REMOTE = 0x200;
const TWO_POW_32 = 2 ** 32;

/** Hex digit values by character code (ids are validated hex before they get here). */
const HEX_VALUES = new Uint8Array(128);
for (let digit = 0; digit < 16; digit++) {
  HEX_VALUES['0123456789abcdef'.charCodeAt(digit)] = digit;
  HEX_VALUES['0123456789ABCDEF'.charCodeAt(digit)] = digit;
}

class ProtoWriter {
  buffer = Buffer.allocUnsafe(64 * 1024);
  position = 0;

  reset(): void {
    this.position = 0;
  }

  /** The bytes written, copied out (the buffer is reused) as a plain Uint8Array. */
  finish(): Uint8Array {
    const bytes = new Uint8Array(this.position);
    bytes.set(new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.position));
    return bytes;
  }

  #reserve(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.position + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  /** A non-negative integer up to 2^53. */
  varint(value: number): void {
    this.#reserve(10);
    const buffer = this.buffer;
    while (value >= 0x80) {
      buffer[this.position++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    buffer[this.position++] = value;
  }

  /** A 64-bit two's complement integer (int64), for any safe integer. */
  int64(value: number): void {
    if (value >= 0) {
      this.varint(value);
      return;
    }
    // Negative: the 64-bit two's complement, as two 32-bit halves, always ten bytes.
    let low = value % TWO_POW_32 >>> 0;
    let high = (Math.floor(value / TWO_POW_32) + TWO_POW_32) >>> 0;
    this.#reserve(10);
    for (let index = 0; index < 9; index++) {
      this.buffer[this.position++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    this.buffer[this.position++] = low & 0x01;
  }

  fixed32(value: number): void {
    this.#reserve(4);
    this.#uint32(value >>> 0);
  }

  #uint32(value: number): void {
    const buffer = this.buffer;
    buffer[this.position++] = value & 0xff;
    buffer[this.position++] = (value >>> 8) & 0xff;
    buffer[this.position++] = (value >>> 16) & 0xff;
    buffer[this.position++] = value >>> 24;
  }

  /** Nanoseconds since the epoch from an `[seconds, nanoseconds]` time, exactly. */
  hrTime(time: HrTime): void {
    // seconds × 1e9 can pass 2^53: multiply in 16-bit pieces into 32-bit halves.
    const [seconds, nanos] = time;
    const secondsHigh = Math.floor(seconds / 0x10000);
    const secondsLow = seconds % 0x10000;
    let low = secondsLow * 1e9 + nanos;
    let high = Math.floor(low / TWO_POW_32);
    low %= TWO_POW_32;
    const upper = secondsHigh * 1e9 * 0x10000;
    high += Math.floor(upper / TWO_POW_32);
    low += upper % TWO_POW_32;
    if (low >= TWO_POW_32) {
      low -= TWO_POW_32;
      high += 1;
    }
    this.#reserve(8);
    this.#uint32(low);
    this.#uint32(high >>> 0);
  }

  double(value: number): void {
    this.#reserve(8);
    this.buffer.writeDoubleLE(value, this.position);
    this.position += 8;
  }

  string(value: string): void {
    // Short ASCII strings (names, keys, ids) are copied here: a call into Node's encoder
    // costs more than the copy.
    const count = value.length;
    if (count < 0x80) {
      this.#reserve(count + 1);
      const buffer = this.buffer;
      const start = this.position + 1;
      let index = 0;
      for (; index < count; index++) {
        const code = value.charCodeAt(index);
        if (code >= 0x80) break;
        buffer[start + index] = code;
      }
      if (index === count) {
        buffer[this.position] = count;
        this.position = start + count;
        return;
      }
    }
    const length = Buffer.byteLength(value);
    this.varint(length);
    this.#reserve(length);
    this.buffer.write(value, this.position, length, 'utf8');
    this.position += length;
  }

  /** Bytes given as lowercase or uppercase hex (trace and span ids). */
  hexBytes(hex: string): void {
    const length = hex.length >>> 1;
    this.varint(length);
    this.#reserve(length);
    const buffer = this.buffer;
    for (let index = 0; index < length; index++) {
      buffer[this.position + index] = (HEX_VALUES[hex.charCodeAt(2 * index)]! << 4) | HEX_VALUES[hex.charCodeAt(2 * index + 1)]!;
    }
    this.position += length;
  }

  /** Bytes that are already encoded fields, one per character. */
  raw(latin1: string): void {
    this.#reserve(latin1.length);
    this.position += this.buffer.write(latin1, this.position, latin1.length, 'latin1');
  }

  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.#reserve(value.length);
    this.buffer.set(value, this.position);
    this.position += value.length;
  }

  /**
   * Opens a length-delimited field with `lengthBytes` reserved for its length (1 suits
   * lengths below 128, 2 below 16384); returns where the length goes, for `end`.
   */
  begin(field: number, lengthBytes = 1): number {
    this.tag(field, WIRE_LENGTH);
    this.#reserve(lengthBytes);
    const lengthAt = this.position;
    this.position += lengthBytes;
    this.buffer[lengthAt] = lengthBytes;
    return lengthAt;
  }

  end(lengthAt: number): void {
    const reserved = this.buffer[lengthAt]!;
    const contentAt = lengthAt + reserved;
    const length = this.position - contentAt;
    let needed = 1;
    for (let rest = length >>> 7; rest > 0; rest >>>= 7) needed++;
    if (needed !== reserved) {
      // Move the content to where its length's varint ends (rare: the guess was off).
      this.#reserve(needed - reserved);
      this.buffer.copyWithin(lengthAt + needed, contentAt, this.position);
      this.position += needed - reserved;
    }
    let at = lengthAt;
    let rest = length;
    while (rest >= 0x80) {
      this.buffer[at++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.buffer[at] = rest;
  }
}

function writeAnyValue(writer: ProtoWriter, value: AttributeValue | Uint8Array | Record<string, unknown>): void {
  switch (typeof value) {
    case 'string':
      writer.tag(1, WIRE_LENGTH);
      writer.string(value);
      return;
    case 'boolean':
      writer.tag(2, WIRE_VARINT);
      writer.varint(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isSafeInteger(value)) {
        writer.tag(3, WIRE_VARINT);
        writer.int64(value);
      } else {
        writer.tag(4, WIRE_FIXED64);
        writer.double(value);
      }
      return;
    default:
      break;
  }
  if (value instanceof Uint8Array) {
    writer.tag(7, WIRE_LENGTH);
    writer.bytes(value);
  } else if (Array.isArray(value)) {
    const array = writer.begin(5);
    for (const item of value) {
      const itemAt = writer.begin(1);
      if (item !== null && item !== undefined) writeAnyValue(writer, item);
      writer.end(itemAt);
    }
    writer.end(array);
  } else if (value !== null && typeof value === 'object') {
    const list = writer.begin(6);
    writeAttributes(writer, 1, value as Attributes);
    writer.end(list);
  }
}

function writeAttributes(writer: ProtoWriter, field: number, attributes: Attributes): void {
  const keys = Object.keys(attributes);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    const keyValue = writer.begin(field);
    writer.tag(1, WIRE_LENGTH);
    writer.string(key);
    const anyValue = writer.begin(2);
    writeAnyValue(writer, value);
    writer.end(anyValue);
    writer.end(keyValue);
  }
}

function writeEvent(writer: ProtoWriter, event: WireSpanEvent): void {
  const at = writer.begin(11);
  writer.tag(1, WIRE_FIXED64);
  writer.hrTime(event.time);
  writer.tag(2, WIRE_LENGTH);
  writer.string(event.name);
  if (event.attributes) writeAttributes(writer, 3, event.attributes);
  if (event.droppedAttributesCount) {
    writer.tag(4, WIRE_VARINT);
    writer.varint(event.droppedAttributesCount);
  }
  writer.end(at);
}

/** A span context as either form has it: the SDK's (trace state object) or the wire's (string). */
interface AnyContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  readonly traceState?: TraceState | string | undefined;
  readonly isRemote?: boolean | undefined;
}

function traceStateOf(context: AnyContext): string | undefined {
  return typeof context.traceState === 'string' ? context.traceState : context.traceState?.serialize();
}

function spanFlags(context: AnyContext, parentIsRemote: boolean | undefined): number {
  return (context.traceFlags & 0xff) | FLAGS_HAS_IS_REMOTE | (parentIsRemote ? FLAGS_IS_REMOTE : 0);
}

function writeLink(writer: ProtoWriter, link: { context: AnyContext; attributes?: Attributes; droppedAttributesCount?: number }): void {
  const at = writer.begin(13);
  writer.tag(1, WIRE_LENGTH);
  writer.hexBytes(link.context.traceId);
  writer.tag(2, WIRE_LENGTH);
  writer.hexBytes(link.context.spanId);
  const traceState = traceStateOf(link.context);
  if (traceState) {
    writer.tag(3, WIRE_LENGTH);
    writer.string(traceState);
  }
  if (link.attributes) writeAttributes(writer, 4, link.attributes);
  if (link.droppedAttributesCount) {
    writer.tag(5, WIRE_VARINT);
    writer.varint(link.droppedAttributesCount);
  }
  writer.tag(6, WIRE_FIXED32);
  writer.fixed32(spanFlags(link.context, link.context.isRemote));
  writer.end(at);
}

/** A span from this thread's SDK, or one that arrived from another thread. */
type AnySpan = ReadableSpan | WireSpan;

const isWire = (span: AnySpan): span is WireSpan => 'context' in span;
const scopeOf = (span: AnySpan): WireScope => (isWire(span) ? span.scope : span.instrumentationScope);

function writeSpan(writer: ProtoWriter, span: AnySpan): void {
  const at = writer.begin(2, 2);
  const context: AnyContext = isWire(span) ? span.context : span.spanContext();
  writer.tag(1, WIRE_LENGTH);
  writer.hexBytes(context.traceId);
  writer.tag(2, WIRE_LENGTH);
  writer.hexBytes(context.spanId);
  const traceState = traceStateOf(context);
  if (traceState) {
    writer.tag(3, WIRE_LENGTH);
    writer.string(traceState);
  }
  const parent: AnyContext | undefined = isWire(span) ? span.parent : span.parentSpanContext;
  if (parent?.spanId) {
    writer.tag(4, WIRE_LENGTH);
    writer.hexBytes(parent.spanId);
  }
  writer.tag(5, WIRE_LENGTH);
  writer.string(span.name);
  writer.tag(6, WIRE_VARINT);
  writer.varint(span.kind + 1); // the API's kinds start at INTERNAL = 0; OTLP's at UNSPECIFIED = 0
  writer.tag(7, WIRE_FIXED64);
  writer.hrTime(span.startTime);
  writer.tag(8, WIRE_FIXED64);
  writer.hrTime(span.endTime);
  writeAttributes(writer, 9, span.attributes);
  if (span.droppedAttributesCount) {
    writer.tag(10, WIRE_VARINT);
    writer.varint(span.droppedAttributesCount);
  }
  for (const event of span.events) writeEvent(writer, event);
  if (span.droppedEventsCount) {
    writer.tag(12, WIRE_VARINT);
    writer.varint(span.droppedEventsCount);
  }
  for (const link of span.links) writeLink(writer, link);
  if (span.droppedLinksCount) {
    writer.tag(14, WIRE_VARINT);
    writer.varint(span.droppedLinksCount);
  }
  const status = writer.begin(15);
  if (span.status.message) {
    writer.tag(2, WIRE_LENGTH);
    writer.string(span.status.message);
  }
  if (span.status.code) {
    writer.tag(3, WIRE_VARINT);
    writer.varint(span.status.code);
  }
  writer.end(status);
  writer.tag(16, WIRE_FIXED32);
  writer.fixed32(spanFlags(context, parent?.isRemote));
  writer.end(at);
}

/** Spans grouped by instrumentation scope, in first-seen order. */
function byScope(spans: readonly AnySpan[]): AnySpan[][] {
  // Most batches (a reply's spans) have one scope object: no grouping needed.
  const first = spans.length > 0 ? scopeOf(spans[0]!) : undefined;
  if (spans.every((span) => scopeOf(span) === first)) return spans.length > 0 ? [spans as AnySpan[]] : [];
  const groups = new Map<string, AnySpan[]>();
  for (const span of spans) {
    const scope = scopeOf(span);
    const key = `${scope.name}\u0000${scope.version ?? ''}\u0000${scope.schemaUrl ?? ''}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = [];
      groups.set(key, group);
    }
    group.push(span);
  }
  return [...groups.values()];
}

/** One `ScopeSpans` field per scope. */
function writeScopeSpans(writer: ProtoWriter, spans: readonly AnySpan[]): void {
  for (const group of byScope(spans)) {
    // A reply's few spans fit a 2-byte length (< 16 KiB); an export batch needs 3.
    const scopeSpans = writer.begin(2, group.length < 32 ? 2 : 3);
    const scope = scopeOf(group[0]!);
    const scopeAt = writer.begin(1);
    writer.tag(1, WIRE_LENGTH);
    writer.string(scope.name);
    if (scope.version) {
      writer.tag(2, WIRE_LENGTH);
      writer.string(scope.version);
    }
    writer.end(scopeAt);
    for (const span of group) writeSpan(writer, span);
    if (scope.schemaUrl) {
      writer.tag(3, WIRE_LENGTH);
      writer.string(scope.schemaUrl);
    }
    writer.end(scopeSpans);
  }
}

const writer = new ProtoWriter();

/**
 * The `ScopeSpans` fields for spans a worker thread recorded, for the main thread to place
 * under its resource (see {@link encodeTraceExportRequest}).
 */
export function encodeScopeSpans(spans: readonly WireSpan[]): string {
  writer.reset();
  writeScopeSpans(writer, spans);
  return writer.buffer.toString('latin1', 0, writer.position);
}

/**
 * The OTLP `ExportTraceServiceRequest` body for a batch: spans recorded by this thread's
 * SDK under their own resources; spans in wire form, and spans other threads encoded,
 * under `resource`.
 */
export function encodeTraceExportRequest(items: ReadonlyArray<ReadableSpan | WireSpan | EncodedSpans>, resource?: Resource): Uint8Array {
  const byResource = new Map<Resource, AnySpan[]>();
  const encoded: EncodedSpans[] = [];
  const add = (spansResource: Resource, span?: AnySpan) => {
    let group = byResource.get(spansResource);
    if (group === undefined) {
      group = [];
      byResource.set(spansResource, group);
    }
    if (span) group.push(span);
  };
  for (const item of items) {
    if (isEncoded(item)) encoded.push(item);
    else if (isWire(item)) add(requireResource(resource), item);
    else add(item.resource, item);
  }
  if (encoded.length > 0) add(requireResource(resource));
  writer.reset();
  for (const [spansResource, spans] of byResource) {
    const resourceSpans = writer.begin(1, 3);
    const resourceAt = writer.begin(1);
    writeAttributes(writer, 1, spansResource.attributes);
    writer.end(resourceAt);
    writeScopeSpans(writer, spans);
    if (spansResource === resource) for (const packet of encoded) writer.raw(packet.otlp);
    if (spansResource.schemaUrl) {
      writer.tag(3, WIRE_LENGTH);
      writer.string(spansResource.schemaUrl);
    }
    writer.end(resourceSpans);
  }
  return writer.finish();
}

function requireResource(resource: Resource | undefined): Resource {
  if (resource === undefined) throw new TypeError('worker-otp: spans from the wire need the resource to export them under');
  return resource;
}
