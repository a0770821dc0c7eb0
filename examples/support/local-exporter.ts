import type { TelemetryOptions } from '../../index';

/**
 * The examples need no collector: their spans stay in memory and are shown here, unless
 * a collector is configured (`OTEL_EXPORTER_OTLP_ENDPOINT` or `..._TRACES_ENDPOINT`) or an
 * exporter is named (`OTEL_TRACES_EXPORTER`). The specification's default exporter is
 * `otlp`, so the examples choose their in-memory view explicitly.
 */
export function localExporterUnlessConfigured(env: NodeJS.ProcessEnv = process.env): Pick<TelemetryOptions, 'exporter'> {
  const configured = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_TRACES_EXPORTER?.trim();
  return configured ? {} : { exporter: 'memory' };
}
