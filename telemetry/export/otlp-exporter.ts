/**
 * The OTLP/HTTP span exporter: OpenTelemetry's own HTTP delegate (endpoint and headers
 * from options and the `OTEL_EXPORTER_OTLP_*` variables, timeouts, retries with backoff,
 * compression). With protobuf it encodes with the runtime's encoder in place of the
 * generic serializer, which costs the main thread about 2.5 times as much per span, and
 * takes spans other threads encoded as they are; with JSON it uses OpenTelemetry's
 * serializer on SDK spans.
 */
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import {
  JsonTraceSerializer,
  ProtobufTraceSerializer,
  type IExporterMetricsHelper,
  type IExportTraceServiceResponse,
  type ISerializer,
} from '@opentelemetry/otlp-transformer';
import type { SdkResource } from '../sdk-types';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { isEncoded } from '../../protocol/span-packet';
import type { ExportItem, ItemExporter } from './export-queue';
import { encodeTraceExportRequest } from './otlp-encoder';

/** The component type OpenTelemetry's exporters report in their own metrics. */
const COMPONENT_TYPE = 'otlp_http_span_exporter';

export interface OtlpExporterOptions {
  /** The traces URL; default from the environment, else `http://localhost:4318/v1/traces`. */
  readonly url?: string | undefined;
  readonly timeoutMillis: number;
  /** The resource spans encoded by other threads are exported under. */
  readonly resource: SdkResource;
}

/** Counts spans for OpenTelemetry's exporter metrics, whichever form they are in. */
const metricsHelper: IExporterMetricsHelper<ExportItem[]> = {
  name: 'span',
  countItems: (items) => items.reduce((total, item) => total + (isEncoded(item) ? item.count : 1), 0),
};

function delegateConfig(options: OtlpExporterOptions, contentType: string) {
  return convertLegacyHttpOptions({ url: options.url, timeoutMillis: options.timeoutMillis }, 'TRACES', 'v1/traces', { 'Content-Type': contentType });
}

/** OTLP/HTTP with protobuf: takes SDK spans, spans in wire form, and spans other threads encoded. */
export class OtlpSpanExporter extends OTLPExporterBase<ExportItem[]> implements ItemExporter {
  readonly acceptsEncoded = true;

  constructor(options: OtlpExporterOptions) {
    const serializer: ISerializer<ExportItem[], IExportTraceServiceResponse> = {
      serializeRequest: (items) => encodeTraceExportRequest(items, options.resource),
      deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
    };
    super(createOtlpHttpExportDelegate(delegateConfig(options, 'application/x-protobuf'), serializer, COMPONENT_TYPE, metricsHelper, undefined));
  }
}

/** OTLP/HTTP with JSON: takes SDK spans (other threads' spans arrive rebuilt as such). */
export class OtlpJsonSpanExporter extends OTLPExporterBase<ReadableSpan[]> {
  constructor(options: OtlpExporterOptions) {
    const countSpans: IExporterMetricsHelper<ReadableSpan[]> = { name: 'span', countItems: (spans) => spans.length };
    super(createOtlpHttpExportDelegate(delegateConfig(options, 'application/json'), JsonTraceSerializer, COMPONENT_TYPE, countSpans, undefined));
  }
}
