/**
 * The OTLP/HTTP protobuf span exporter: OpenTelemetry's own HTTP delegate (endpoint and
 * headers from options and the `OTEL_EXPORTER_OTLP_*` variables, timeouts, retries with
 * backoff, compression) with the runtime's encoder in place of the generic serializer,
 * which costs the main thread about 2.5 times as much per span.
 */
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufTraceSerializer, type IExporterMetricsHelper, type IExportTraceServiceResponse, type ISerializer } from '@opentelemetry/otlp-transformer';
import type { Resource } from '@opentelemetry/resources';
import { encodeTraceExportRequest } from './otlp-encoder';
import { isEncoded } from '../../protocol/span-packet';
import type { ExportItem, ItemExporter } from './export-queue';

/** The component type OpenTelemetry's exporters report in their own metrics. */
const COMPONENT_TYPE = 'otlp_http_span_exporter';

export interface OtlpExporterOptions {
  /** The traces URL; default from the environment, else `http://localhost:4318/v1/traces`. */
  readonly url?: string | undefined;
  readonly timeoutMillis: number;
  /** The resource spans encoded by other threads are exported under. */
  readonly resource: Resource;
}

/** Counts spans for OpenTelemetry's exporter metrics, whichever form they are in. */
const metricsHelper: IExporterMetricsHelper<ExportItem[]> = {
  name: 'span',
  countItems: (items) => items.reduce((total, item) => total + (isEncoded(item) ? item.count : 1), 0),
};

export class OtlpSpanExporter extends OTLPExporterBase<ExportItem[]> implements ItemExporter {
  readonly acceptsEncoded = true;

  constructor(options: OtlpExporterOptions) {
    const serializer: ISerializer<ExportItem[], IExportTraceServiceResponse> = {
      serializeRequest: (items) => encodeTraceExportRequest(items, options.resource),
      deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
    };
    const config = convertLegacyHttpOptions({ url: options.url, timeoutMillis: options.timeoutMillis }, 'TRACES', 'v1/traces', {
      'Content-Type': 'application/x-protobuf',
    });
    super(createOtlpHttpExportDelegate(config, serializer, COMPONENT_TYPE, metricsHelper, undefined));
  }
}
