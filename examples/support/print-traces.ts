import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { FinishedSpan as ReadableSpan } from '../../index';

/** How {@link printTraces} writes. */
export interface PrintOptions {
  /** Errors in red and names in bold (for terminals). Default false: plain text. */
  readonly colour?: boolean;
  readonly write?: (line: string) => void;
}

const STATUS_ERROR = 2;

/**
 * Prints each trace as an indented tree: span name, duration, the thread it ran on, its
 * events; failed spans marked ERROR. The reference's "process relationships" diagram,
 * drawn from real spans.
 */
export function printTraces(spans: readonly ReadableSpan[], options: PrintOptions = {}): void {
  const write = options.write ?? ((line: string) => console.log(line));
  const paint = (code: string, text: string) => (options.colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
  const children = new Map<string, ReadableSpan[]>();
  const roots: ReadableSpan[] = [];
  for (const span of spans) {
    const parentId = span.parentSpanContext?.spanId;
    if (parentId && byId.has(parentId)) children.set(parentId, [...(children.get(parentId) ?? []), span]);
    else roots.push(span);
  }
  const start = (span: ReadableSpan) => hrTimeToMilliseconds(span.startTime);
  const visit = (span: ReadableSpan, depth: number) => {
    const indent = '  '.repeat(depth);
    // The application's SDK records on the main thread only, without naming it.
    const thread = String(span.attributes['thread.name'] ?? 'main');
    // Spans of a cluster come from several programs: their resources name the node.
    const node = span.resource.attributes['worker_otp.node.name'];
    const failed = span.status.code === STATUS_ERROR;
    const line = `${indent}${paint('1', span.name)}  ${hrTimeToMilliseconds(span.duration).toFixed(2)} ms  [${thread}${node === undefined ? '' : ` @${String(node)}`}]`;
    write(failed ? `${line}  ${paint('31', `ERROR ${span.status.message ?? ''}`)}` : line);
    for (const event of span.events) write(`${indent}  · ${event.name === 'exception' && options.colour ? paint('31', event.name) : event.name}`);
    for (const child of (children.get(span.spanContext().spanId) ?? []).sort((a, b) => start(a) - start(b))) visit(child, depth + 1);
  };
  for (const root of roots.sort((a, b) => start(a) - start(b))) {
    write(paint('2', `trace ${root.spanContext().traceId}`));
    visit(root, 1);
  }
}
