/**
 * worker-otp's own metrics export, for an application without an SDK that asks for it
 * (`OTEL_METRICS_EXPORTER`, or `startTelemetry({ metrics })`): a MeterProvider with a
 * periodic reader and an OTLP/HTTP protobuf (or console) exporter, with the traces'
 * resource, registered as the global MeterProvider. Loaded only then, with its SDK packages
 * (`@opentelemetry/sdk-metrics`, `@opentelemetry/exporter-metrics-otlp-proto`).
 */
import { diag, metrics } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { SdkResource } from '../telemetry/sdk-types';
import type { ResolvedMetricsOptions } from './metrics-options';

export interface OwnMetrics {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function startOwnMetrics(options: ResolvedMetricsOptions, resource: SdkResource): OwnMetrics {
  const exporter = options.exporter === 'console' ? new ConsoleMetricExporter() : new OTLPMetricExporter({ url: options.endpoint, timeoutMillis: options.timeoutMs });
  const provider = new MeterProvider({
    resource: resource as never,
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: options.intervalMs, exportTimeoutMillis: options.timeoutMs })],
  });
  const registered = metrics.setGlobalMeterProvider(provider);
  if (!registered) diag.warn('worker-otp telemetry: a MeterProvider is registered already; worker-otp records into that one, and its own metrics export stays idle');
  return {
    forceFlush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      if (registered) metrics.disable();
    },
  };
}
