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
import { isEncoded } from '../protocol/span-packet';
import { ExportQueue, type QueueExporter } from '../telemetry/export/export-queue';
import type { ExportStats } from '../telemetry/export/export-stats';
import type { MemorySpanStore } from '../telemetry/export/memory-span-store';
import { OtlpJsonSpanExporter, OtlpSpanExporter } from '../telemetry/export/otlp-exporter';
import { fromWireSpan } from '../telemetry/export/readable-span';
import { MAIN_THREAD_NAME } from '../telemetry/record/attributes';
import { installGlobalTelemetry } from '../telemetry/record/install-globals';
import { setRuntimeTracerProvider } from '../telemetry/record/runtime-tracer';
import { createClockAnchor } from '../telemetry/record/shared-clock';
import { WireTracerProvider } from '../telemetry/record/wire-tracer';
import { SpanRelay } from '../telemetry/relay/span-relay';
import type { SdkResource } from '../telemetry/sdk-types';
import { publishThreadConfig } from '../telemetry/thread-config';
import { buildSampler } from './sdk-sampler';
import type { ResolvedTelemetryOptions } from './telemetry-options';
import { ThreadStampProcessor } from './thread-stamp-processor';

/** The running parts of worker-otp's own setup. */
export interface OwnPipeline {
  readonly resource: SdkResource;
  readonly stats: ExportStats | undefined;
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
  const processors: SpanProcessor[] = [new ThreadStampProcessor(clock, { id: threadId, name: MAIN_THREAD_NAME })];
  if (queue) processors.push(queue as SpanProcessor);
  const provider = new BasicTracerProvider({ resource: resource as never, sampler: buildSampler(options.sampler), spanProcessors: processors });
  // The OTLP protobuf exporter encodes spans in wire form as they are; other exporters get them
  // rebuilt as SDK spans.
  const exportsWireSpans = exporter instanceof OtlpSpanExporter;
  const relay = new SpanRelay({
    deliver: (spans) => queue?.enqueue(isEncoded(spans) ? [spans] : exportsWireSpans ? spans : spans.map((span) => fromWireSpan(span, resource))),
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
    encodeSpans: exportsWireSpans,
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
