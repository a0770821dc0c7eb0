import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { WorkerSpanProcessor } from 'worker-otp';

export function registerTracing(): void {
  new NodeTracerProvider({ spanProcessors: [new WorkerSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter()))] }).register();
}
