/**
 * The OpenTelemetry an application brings in library mode, as a typical service sets it
 * up: the SDK's NodeTracerProvider with its BatchSpanProcessor and OTLP/HTTP protobuf
 * exporter, registered globally. worker-otp then joins it by itself.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export function startAppSdk(collectorUrl: string): { shutdown(): Promise<void> } {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'worker-otp-bench-app' }),
    // The batch processor's default queue (2048) drops spans at these rates; a service under
    // this load would raise it too, and the exporter's concurrency with it: flushing a full
    // queue exports its 128 batches at once, past the exporter's default limit (30), which
    // then fails the flush ("Concurrent export limit reached").
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: collectorUrl, concurrencyLimit: 256 }), { maxQueueSize: 65_536, maxExportBatchSize: 512, scheduledDelayMillis: 500 }),
    ],
  });
  provider.register();
  return provider;
}
