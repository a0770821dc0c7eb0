/**
 * The HTTP service example's OpenTelemetry, set up as a service sets it up, first thing:
 * the Node SDK with the HTTP instrumentation. worker-otp needs no line here. With
 * OTEL_EXPORTER_OTLP_ENDPOINT set, the SDK exports to that collector (configured by the
 * OTEL_* variables, as usual); without one, the spans are kept in memory and the example
 * prints them.
 */
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const collectorConfigured = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);

/** Where the spans are when no collector is configured. */
export const localSpans = collectorConfigured ? undefined : new InMemorySpanExporter();

export const sdk = new NodeSDK({
  serviceName: process.env.OTEL_SERVICE_NAME ?? 'user-service',
  instrumentations: [new HttpInstrumentation()],
  ...(localSpans ? { spanProcessors: [new SimpleSpanProcessor(localSpans)] } : {}),
});
sdk.start();
