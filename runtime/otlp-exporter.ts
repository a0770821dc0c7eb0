/**
 * The OTLP/HTTP protobuf span exporter: OpenTelemetry's own HTTP delegate (endpoint and
 * headers from options and the `OTEL_EXPORTER_OTLP_*` variables, timeouts, retries with
 * backoff, compression) with the runtime's encoder in place of the generic serializer,
 * which costs the main thread about 2.5 times as much per span.
 */
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufTraceSerializer, TraceExporterMetricsHelper, type ISerializer, type IExportTraceServiceResponse } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { encodeTraceExportRequest } from './otlp-encoder';

const serializer: ISerializer<ReadableSpan[], IExportTraceServiceResponse> = {
  serializeRequest: encodeTraceExportRequest,
  deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
};

/** The component type OpenTelemetry's exporters report in their own metrics. */
const COMPONENT_TYPE = 'otlp_http_span_exporter';

export interface OtlpExporterOptions {
  /** The traces URL; default from the environment, else `http://localhost:4318/v1/traces`. */
  readonly url?: string;
  readonly timeoutMillis: number;
}

export class OtlpSpanExporter extends OTLPExporterBase<ReadableSpan[]> implements SpanExporter {
  constructor(options: OtlpExporterOptions) {
    const config = convertLegacyHttpOptions(options, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' });
    super(createOtlpHttpExportDelegate(config, serializer, COMPONENT_TYPE, TraceExporterMetricsHelper, undefined));
  }
}
