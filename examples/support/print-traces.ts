import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * Prints each trace as an indented tree: span name, duration, the thread it ran on, its
 * events. A plain-text view for examples run without a collector.
 */
export function printTraces(spans: readonly ReadableSpan[], write: (line: string) => void = console.log): void {
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
    const thread = span.attributes['thread.name'] ?? '?';
    const failed = span.status.code === 2 ? `  ERROR ${span.status.message ?? ''}` : '';
    write(`${'  '.repeat(depth)}${span.name}  ${hrTimeToMilliseconds(span.duration).toFixed(2)} ms  [${String(thread)}]${failed}`);
    for (const event of span.events) write(`${'  '.repeat(depth + 1)}· ${event.name}`);
    for (const child of (children.get(span.spanContext().spanId) ?? []).sort((a, b) => start(a) - start(b))) visit(child, depth + 1);
  };
  for (const root of roots.sort((a, b) => start(a) - start(b))) {
    write(`trace ${root.spanContext().traceId}`);
    visit(root, 1);
  }
}
