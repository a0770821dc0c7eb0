import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * Sends spans to an exporter and also keeps them, so the demo can render its local views
 * while a collector receives the same spans.
 */
export class TeeExporter implements SpanExporter {
  readonly kept: ReadableSpan[] = [];
  readonly #next: SpanExporter;

  constructor(next: SpanExporter) {
    this.#next = next;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.kept.push(...spans);
    this.#next.export(spans, resultCallback);
  }

  shutdown(): Promise<void> {
    return this.#next.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#next.forceFlush?.() ?? Promise.resolve();
  }
}
