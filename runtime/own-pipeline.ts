/**
 * The parts of worker-otp's own setup that need the OpenTelemetry SDK: a tracer provider in
 * the main thread, the settings every worker thread copies, and one export pipeline all
 * spans leave by. Loaded by `startTelemetry()` only: an application that brings its own
 * SDK, or none, never loads these packages.
 */
import { threadId } from 'node:worker_threads';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, ConsoleSpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { setThreadOutbox } from '../protocol/span-outbox';
import { isEncoded, type WireSpan } from '../protocol/span-packet';
import { ExportQueue, type QueueExporter } from '../telemetry/export/export-queue';
import type { ExportStats } from '../telemetry/export/export-stats';
import type { MemorySpanStore } from '../telemetry/export/memory-span-store';
import { OtlpJsonSpanExporter, OtlpSpanExporter } from '../telemetry/export/otlp-exporter';
import { fromWireSpan } from '../telemetry/export/readable-span';
import type { TailSamplingStats } from '../telemetry/export/tail-decisions';
import { TailSamplingSpanProcessor } from '../telemetry/export/tail-sampling-processor';
import { MAIN_THREAD_NAME } from '../telemetry/record/attributes';
import { installGlobalTelemetry } from '../telemetry/record/install-globals';
import { setRuntimeTracerProvider } from '../protocol/runtime-tracer';
import { createClockAnchor } from '../telemetry/record/shared-clock';
import { WireTracerProvider } from '../telemetry/record/wire-tracer';
import { EXPORT_RIDE_BATCH, SpanRelay } from '../telemetry/relay/span-relay';
import type { SdkResource } from '../telemetry/sdk-types';
import { publishThreadConfig } from '../telemetry/thread-config';
import { buildSampler } from './sdk-sampler';
import type { ResolvedTelemetryOptions } from './telemetry-options';
import { ThreadStampProcessor } from './thread-stamp-processor';

/** The running parts of worker-otp's own setup. */
export interface OwnPipeline {
  readonly resource: SdkResource;
  readonly stats: ExportStats | undefined;
  /** What tail sampling kept and dropped, when it is on. */
  readonly tailStats: TailSamplingStats | undefined;
  /** Brings in every linked thread's spans (each within `flushTimeoutMs`), then exports what is queued. */
  forceFlush(): Promise<void>;
  /** Flushes, shuts the exporter down, and releases the globals and the thread settings. */
  shutdown(): Promise<void>;
}

/** The resource of the own setup: the SDK's defaults, `OTEL_RESOURCE_ATTRIBUTES`, then the options. */
export function ownResource(options: ResolvedTelemetryOptions): SdkResource {
  return defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes({ ...options.resourceAttributes, ...(options.serviceName ? { 'service.name': options.serviceName } : {}) }));
}

function createExporter(options: ResolvedTelemetryOptions, resource: SdkResource, memory: MemorySpanStore | undefined): QueueExporter | undefined {
  const { exporter: choice, endpoint, exportTimeoutMs, protocol } = options;
  switch (choice) {
    case 'none':
      return undefined;
    case 'memory':
      return memory;
    case 'console':
      return new ConsoleSpanExporter();
    case 'otlp': {
      const exporterOptions = { url: endpoint, timeoutMillis: exportTimeoutMs, resource };
      return protocol === 'http/json' ? new OtlpJsonSpanExporter(exporterOptions) : new OtlpSpanExporter(exporterOptions);
    }
    default:
      return choice;
  }
}

/** Starts the own pipeline and registers the globals. */
export function startOwnPipeline(options: ResolvedTelemetryOptions, memory: MemorySpanStore | undefined): OwnPipeline {
  const resource = ownResource(options);
  const exporter = createExporter(options, resource, memory);
  const queue = exporter
    ? new ExportQueue(exporter, {
        maxQueueSize: options.maxQueueSize,
        maxExportBatchSize: options.maxExportBatchSize,
        scheduledDelayMs: options.scheduledDelayMs,
        exportTimeoutMs: options.exportTimeoutMs,
      })
    : undefined;
  const clock = createClockAnchor();
  // With tail sampling every span waits for its trace's decision on the way to the queue.
  const tail = queue && options.tailSampling ? new TailSamplingSpanProcessor(queue, options.tailSampling) : undefined;
  const processors: SpanProcessor[] = [new ThreadStampProcessor(clock, { id: threadId, name: MAIN_THREAD_NAME })];
  if (queue) processors.push((tail ?? queue) as SpanProcessor);
  const provider = new BasicTracerProvider({ resource: resource as never, sampler: buildSampler(options.sampler), spanProcessors: processors });
  // The OTLP protobuf exporter encodes spans in wire form as they are; other exporters get them
  // rebuilt as SDK spans. Threads encode them only when nothing here needs to read them.
  const exportsWireSpans = exporter instanceof OtlpSpanExporter;
  const toQueue = (span: WireSpan) => (exportsWireSpans ? span : fromWireSpan(span, resource));
  const relay = new SpanRelay({
    deliver: (spans) => {
      if (isEncoded(spans)) queue?.enqueue([spans]);
      else if (tail) for (const span of spans) tail.admit(span, () => queue!.enqueue([toQueue(span)]));
      else queue?.enqueue(exportsWireSpans ? spans : spans.map(toQueue));
    },
  });
  const uninstall = installGlobalTelemetry(provider);
  setThreadOutbox(relay);
  // worker-otp's own spans skip the SDK: born in wire form, straight to the relay.
  setRuntimeTracerProvider(new WireTracerProvider({ sampler: options.sampler, clock, relay, threadId, threadName: MAIN_THREAD_NAME }));
  publishThreadConfig({
    sampler: options.sampler,
    clock,
    maxPendingSpans: options.maxPendingSpansPerThread,
    sendDelayMs: Math.min(options.scheduledDelayMs, 200),
    encodeSpans: exportsWireSpans && tail === undefined,
    // Tail decisions and the memory and console exporters read spans as they arrive.
    rideBatch: exportsWireSpans && tail === undefined ? EXPORT_RIDE_BATCH : 1,
  });
  const forceFlush = async () => {
    await relay.flushDownstream(options.flushTimeoutMs);
    await provider.forceFlush();
  };
  return {
    resource,
    get stats() {
      return queue?.stats;
    },
    get tailStats() {
      return tail?.stats;
    },
    forceFlush,
    async shutdown() {
      try {
        await forceFlush();
        await provider.shutdown();
      } finally {
        publishThreadConfig(undefined);
        setThreadOutbox(undefined);
        setRuntimeTracerProvider(undefined);
        uninstall();
      }
    },
  };
}
