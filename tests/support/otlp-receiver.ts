import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Reader } from 'protobufjs/minimal';

/** OTLP span kinds by their protobuf number (opentelemetry/proto/trace/v1/trace.proto). */
const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;

export type AttributeValue = string | boolean | number | AttributeValue[] | { [key: string]: AttributeValue } | Uint8Array;
export type DecodedAttributes = Record<string, AttributeValue>;

export interface DecodedEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: DecodedAttributes;
}

export interface DecodedLink {
  traceId: string;
  spanId: string;
  attributes: DecodedAttributes;
}

/** One span as it left the exporter, decoded from the protobuf bytes on the wire. */
export interface DecodedSpan {
  traceId: string;
  spanId: string;
  /** Empty string for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: (typeof SPAN_KINDS)[number];
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: DecodedAttributes;
  events: DecodedEvent[];
  links: DecodedLink[];
  status: { code: (typeof STATUS_CODES)[number]; message: string };
  resource: DecodedAttributes;
  scope: { name: string; version: string };
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Walks `reader` until `end`, calling `onField` with each field number; skips unknown wire types. */
function readFields(reader: Reader, end: number, onField: (field: number, wireType: number) => boolean): void {
  while (reader.pos < end) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (!onField(field, wireType)) reader.skipType(wireType);
  }
}

function readFixed64(reader: Reader): bigint {
  const low = reader.fixed32();
  const high = reader.fixed32();
  return (BigInt(high) << 32n) | BigInt(low);
}

function decodeAnyValue(reader: Reader, end: number): AttributeValue {
  let value: AttributeValue = '';
  readFields(reader, end, (field) => {
    switch (field) {
      case 1: value = reader.string(); return true;
      case 2: value = reader.bool(); return true;
      case 3: value = Number(reader.int64().toString()); return true;
      case 4: value = reader.double(); return true;
      case 5: {
        const arrayEnd = reader.uint32() + reader.pos;
        const items: AttributeValue[] = [];
        readFields(reader, arrayEnd, (f) => {
          if (f !== 1) return false;
          const itemEnd = reader.uint32() + reader.pos;
          items.push(decodeAnyValue(reader, itemEnd));
          return true;
        });
        value = items;
        return true;
      }
      case 6: {
        const listEnd = reader.uint32() + reader.pos;
        const entries: DecodedAttributes = {};
        readFields(reader, listEnd, (f) => {
          if (f !== 1) return false;
          decodeKeyValue(reader, reader.uint32() + reader.pos, entries);
          return true;
        });
        value = entries;
        return true;
      }
      case 7: value = reader.bytes(); return true;
      default: return false;
    }
  });
  return value;
}

function decodeKeyValue(reader: Reader, end: number, into: DecodedAttributes): void {
  let key = '';
  let value: AttributeValue = '';
  readFields(reader, end, (field) => {
    if (field === 1) key = reader.string();
    else if (field === 2) value = decodeAnyValue(reader, reader.uint32() + reader.pos);
    else return false;
    return true;
  });
  into[key] = value;
}

function decodeEvent(reader: Reader, end: number): DecodedEvent {
  const event: DecodedEvent = { name: '', timeUnixNano: 0n, attributes: {} };
  readFields(reader, end, (field) => {
    if (field === 1) event.timeUnixNano = readFixed64(reader);
    else if (field === 2) event.name = reader.string();
    else if (field === 3) decodeKeyValue(reader, reader.uint32() + reader.pos, event.attributes);
    else return false;
    return true;
  });
  return event;
}

function decodeLink(reader: Reader, end: number): DecodedLink {
  const link: DecodedLink = { traceId: '', spanId: '', attributes: {} };
  readFields(reader, end, (field) => {
    if (field === 1) link.traceId = hex(reader.bytes());
    else if (field === 2) link.spanId = hex(reader.bytes());
    else if (field === 4) decodeKeyValue(reader, reader.uint32() + reader.pos, link.attributes);
    else return false;
    return true;
  });
  return link;
}

function decodeSpan(reader: Reader, end: number, resource: DecodedAttributes, scope: DecodedSpan['scope']): DecodedSpan {
  const span: DecodedSpan = {
    traceId: '', spanId: '', parentSpanId: '', traceState: '', name: '', kind: 'UNSPECIFIED',
    startTimeUnixNano: 0n, endTimeUnixNano: 0n, attributes: {}, events: [], links: [],
    status: { code: 'UNSET', message: '' }, resource, scope,
  };
  readFields(reader, end, (field) => {
    switch (field) {
      case 1: span.traceId = hex(reader.bytes()); return true;
      case 2: span.spanId = hex(reader.bytes()); return true;
      case 3: span.traceState = reader.string(); return true;
      case 4: span.parentSpanId = hex(reader.bytes()); return true;
      case 5: span.name = reader.string(); return true;
      case 6: span.kind = SPAN_KINDS[reader.int32()] ?? 'UNSPECIFIED'; return true;
      case 7: span.startTimeUnixNano = readFixed64(reader); return true;
      case 8: span.endTimeUnixNano = readFixed64(reader); return true;
      case 9: decodeKeyValue(reader, reader.uint32() + reader.pos, span.attributes); return true;
      case 11: span.events.push(decodeEvent(reader, reader.uint32() + reader.pos)); return true;
      case 13: span.links.push(decodeLink(reader, reader.uint32() + reader.pos)); return true;
      case 15: {
        const statusEnd = reader.uint32() + reader.pos;
        readFields(reader, statusEnd, (f) => {
          if (f === 2) span.status.message = reader.string();
          else if (f === 3) span.status.code = STATUS_CODES[reader.int32()] ?? 'UNSET';
          else return false;
          return true;
        });
        return true;
      }
      default: return false;
    }
  });
  return span;
}

function decodeScopeSpans(reader: Reader, end: number, resource: DecodedAttributes, into: DecodedSpan[]): void {
  const scope = { name: '', version: '' };
  readFields(reader, end, (field) => {
    if (field === 1) {
      readFields(reader, reader.uint32() + reader.pos, (f) => {
        if (f === 1) scope.name = reader.string();
        else if (f === 2) scope.version = reader.string();
        else return false;
        return true;
      });
    } else if (field === 2) {
      into.push(decodeSpan(reader, reader.uint32() + reader.pos, resource, { ...scope }));
    } else return false;
    return true;
  });
}

/** Decodes an OTLP `ExportTraceServiceRequest` (opentelemetry/proto/collector/trace/v1). */
export function decodeExportTraceServiceRequest(body: Uint8Array): DecodedSpan[] {
  const reader = Reader.create(body);
  const spans: DecodedSpan[] = [];
  readFields(reader, body.length, (field) => {
    if (field !== 1) return false;
    const resourceSpansEnd = reader.uint32() + reader.pos;
    const resource: DecodedAttributes = {};
    readFields(reader, resourceSpansEnd, (f) => {
      if (f === 1) {
        readFields(reader, reader.uint32() + reader.pos, (rf) => {
          if (rf !== 1) return false;
          decodeKeyValue(reader, reader.uint32() + reader.pos, resource);
          return true;
        });
      } else if (f === 2) {
        decodeScopeSpans(reader, reader.uint32() + reader.pos, resource, spans);
      } else return false;
      return true;
    });
    return true;
  });
  return spans;
}

/** Counts the spans of an `ExportTraceServiceRequest` by name, reading nothing else of them. */
export function tallySpanNames(body: Uint8Array, into: Map<string, number>): void {
  const reader = Reader.create(body);
  const nested = (onField: (field: number) => boolean) => readFields(reader, reader.uint32() + reader.pos, onField);
  readFields(reader, body.length, (field) =>
    field === 1 &&
    (nested((resourceField) =>
      resourceField === 2 &&
      (nested((scopeField) =>
        scopeField === 2 &&
        (nested((spanField) => {
          if (spanField !== 5) return false;
          const name = reader.string();
          into.set(name, (into.get(name) ?? 0) + 1);
          return true;
        }),
        true),
      ),
      true),
    ),
    true),
  );
}

/** How the receiver answers, to play a healthy or a failing collector. */
export interface ReceiverBehaviour {
  /** HTTP status to answer with. Default 200. */
  status?: number;
  /** Answer only after this many ms. */
  delayMs?: number;
  /** Reset the connection instead of answering. */
  reset?: boolean;
  /** Answer 503 to this many requests first (then `status`). */
  unavailableFirst?: number;
  /**
   * Only count spans by name (see `count`), decoding nothing else and keeping no spans: for
   * benchmarks, where decoding every span would take the CPU being measured.
   */
  tallyOnly?: boolean;
}

/**
 * A real OTLP/HTTP protobuf trace receiver on 127.0.0.1 and an ephemeral port, for tests
 * and benchmarks. Node's HTTP parser undoes the exporter's chunked transfer encoding; the
 * body is decoded field by field from the OTLP protobuf schema.
 */
export class OtlpReceiver {
  readonly spans: DecodedSpan[] = [];
  /** Spans received per name (in `tallyOnly` mode, the only record kept). */
  readonly #tally = new Map<string, number>();
  requests = 0;
  behaviour: ReceiverBehaviour;
  readonly #server: Server;
  readonly #waiters = new Set<() => void>();
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server, behaviour: ReceiverBehaviour) {
    this.#server = server;
    this.behaviour = behaviour;
  }

  /** Starts listening on 127.0.0.1, on `port` (to come back where a collector went down) or an ephemeral one. */
  static async start(behaviour: ReceiverBehaviour = {}, port = 0): Promise<OtlpReceiver> {
    const server = createServer();
    const receiver = new OtlpReceiver(server, behaviour);
    server.on('request', (request, response) => receiver.#handle(request, response));
    server.on('connection', (socket: Socket) => {
      receiver.#sockets.add(socket);
      socket.once('close', () => receiver.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return receiver;
  }

  /** The traces URL to give the exporter. */
  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1/traces`;
  }

  /** How many spans arrived (with this name, if given); kept in every mode. */
  count(name?: string): number {
    if (name !== undefined) return this.#tally.get(name) ?? 0;
    let total = 0;
    for (const count of this.#tally.values()) total += count;
    return total;
  }

  /** Spans with this name, in arrival order. */
  named(name: string): DecodedSpan[] {
    return this.spans.filter((span) => span.name === name);
  }

  /** The one span with this name; throws, listing what arrived, when there is not exactly one. */
  only(name: string): DecodedSpan {
    const found = this.named(name);
    if (found.length !== 1) {
      throw new Error(`expected one span named ${name}, got ${found.length}; received: ${this.spans.map((s) => s.name).join(', ')}`);
    }
    return found[0]!;
  }

  /** Resolves once `condition` holds for the received spans; rejects after `timeoutMs`. */
  waitFor(condition: (spans: DecodedSpan[]) => boolean, timeoutMs = 10_000): Promise<void> {
    if (condition(this.spans)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!condition(this.spans)) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`receiver: condition not met in ${timeoutMs} ms; received: ${this.spans.map((s) => s.name).join(', ')}`));
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }

  /** Stops listening and resolves once every connection's socket is fully closed. */
  async close(): Promise<void> {
    const sockets = [...this.#sockets].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
    for (const socket of this.#sockets) socket.destroy();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // Connections the server accepted but had not yet reported too.
    this.#server.closeAllConnections();
    await Promise.all([...sockets, closed]);
  }

  /** The port it listens on. */
  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.requests += 1;
      const { delayMs = 0, reset = false, unavailableFirst = 0 } = this.behaviour;
      if (reset) {
        request.socket.destroy();
        return;
      }
      const status = this.requests <= unavailableFirst ? 503 : (this.behaviour.status ?? 200);
      const answer = () => {
        if (status === 200 && request.url === '/v1/traces') {
          const body = Buffer.concat(chunks);
          if (this.behaviour.tallyOnly) {
            tallySpanNames(body, this.#tally);
          } else {
            const decoded = decodeExportTraceServiceRequest(body);
            for (const span of decoded) this.#tally.set(span.name, (this.#tally.get(span.name) ?? 0) + 1);
            this.spans.push(...decoded);
          }
          for (const check of [...this.#waiters]) check();
        }
        response.writeHead(status, { 'content-type': 'application/x-protobuf' });
        response.end();
      };
      if (delayMs > 0) setTimeout(answer, delayMs).unref();
      else answer();
    });
  }
}
