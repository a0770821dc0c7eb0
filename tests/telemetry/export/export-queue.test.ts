/**
 * The export queue alone, with an exporter under the test's control (a unit test of one
 * processor; end-to-end tests use the real OTLP receiver).
 */
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ExportQueue } from '../../../dist/telemetry/export/export-queue';

/** An exporter whose requests complete when the test says so. */
class ControlledExporter implements SpanExporter {
  readonly batches: ReadableSpan[][] = [];
  readonly callbacks: Array<(result: ExportResult) => void> = [];
  result: ExportResult | undefined = { code: ExportResultCode.SUCCESS };
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.batches.push(spans);
    if (this.result) done(this.result);
    else this.callbacks.push(done);
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function spans(count: number): ReadableSpan[] {
  const tracer = new BasicTracerProvider().getTracer('queue-test');
  return Array.from({ length: count }, (_, index) => {
    const span = tracer.startSpan(`span-${index}`);
    span.end();
    return span as unknown as ReadableSpan;
  });
}

const warnings: string[] = [];
beforeAll(() => diag.setLogger({ error() {}, info() {}, debug() {}, verbose() {}, warn: (m: string) => warnings.push(m) }, DiagLogLevel.WARN));
afterAll(() => diag.disable());
beforeEach(() => (warnings.length = 0));

const options = { maxQueueSize: 4, maxExportBatchSize: 2, scheduledDelayMs: 60_000, exportTimeoutMs: 200 };

it('exports in batches of maxExportBatchSize and counts what was exported', async () => {
  const exporter = new ControlledExporter();
  const queue = new ExportQueue(exporter, options);
  queue.enqueue(spans(3));
  await queue.forceFlush();
  expect(exporter.batches.map((batch) => batch.length)).toEqual([2, 1]);
  expect(queue.stats).toEqual({ exportedSpans: 3, droppedSpans: 0, failedSpans: 0 });
});

it('drops and counts spans past maxQueueSize, warning once', async () => {
  const exporter = new ControlledExporter();
  const queue = new ExportQueue(exporter, { ...options, maxExportBatchSize: 100 });
  queue.enqueue(spans(6));
  queue.enqueue(spans(2));
  await queue.forceFlush();
  expect(queue.stats).toEqual({ exportedSpans: 4, droppedSpans: 4, failedSpans: 0 });
  expect(warnings.filter((m) => m.includes('export queue full'))).toHaveLength(1);
});

it('counts a failed export and an export that never answers, reporting the first failure only', async () => {
  const exporter = new ControlledExporter();
  const queue = new ExportQueue(exporter, options);
  exporter.result = { code: ExportResultCode.FAILED, error: new Error('503 from collector') };
  queue.enqueue(spans(2));
  await queue.forceFlush();
  exporter.result = undefined;
  queue.enqueue(spans(1));
  await queue.forceFlush();
  expect(queue.stats).toEqual({ exportedSpans: 0, droppedSpans: 0, failedSpans: 3 });
  expect(warnings).toEqual([expect.stringContaining('span export failed (503 from collector)')]);
});

it('ignores unsampled spans and exports nothing after shutdown', async () => {
  const exporter = new ControlledExporter();
  const queue = new ExportQueue(exporter, options);
  const unsampled = new BasicTracerProvider({ sampler: { shouldSample: () => ({ decision: 1 }), toString: () => 'record-only' } })
    .getTracer('queue-test')
    .startSpan('record-only');
  unsampled.end();
  queue.onEnd(unsampled as unknown as ReadableSpan);
  await queue.shutdown();
  queue.enqueue(spans(1));
  await queue.forceFlush();
  expect(exporter.batches).toEqual([]);
});
