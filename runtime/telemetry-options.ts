import { diag, type Attributes } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { samplerConfigFromEnv, validateSamplerConfig, type SamplerConfig } from '../telemetry/record/sampling';

/**
 * Where spans go: `otlp` (OTLP/HTTP protobuf to a collector), `console` (printed),
 * `none` (recorded for propagation, not exported), `memory` (kept in a bounded buffer
 * for the program to render), or an exporter of your own.
 */
export type ExporterChoice = 'otlp' | 'console' | 'none' | 'memory' | SpanExporter;

/**
 * Telemetry settings. Every field is optional: what is not given in code comes from the
 * standard OpenTelemetry environment variables, then from the defaults below.
 */
export interface TelemetryOptions {
  /** `service.name` of every span. Env: `OTEL_SERVICE_NAME`. */
  readonly serviceName?: string;
  /**
   * Env: `OTEL_TRACES_EXPORTER` (`otlp`, `console`, `none`). Default: `otlp` when an
   * endpoint is configured, otherwise `memory` (no collector needed).
   */
  readonly exporter?: ExporterChoice;
  /**
   * Full OTLP/HTTP traces URL. Env: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`. Default `http://localhost:4318/v1/traces`.
   */
  readonly endpoint?: string;
  /** Env: `OTEL_TRACES_SAMPLER` + `OTEL_TRACES_SAMPLER_ARG`. Default `parentbased_always_on`. */
  readonly sampler?: SamplerConfig;
  /** Extra resource attributes (env: `OTEL_RESOURCE_ATTRIBUTES`). */
  readonly resourceAttributes?: Attributes;
  /** Spans held for export, from every thread, before new ones are dropped and counted. Default 8192. */
  readonly maxQueueSize?: number;
  /** Spans per export request. Default 512. */
  readonly maxExportBatchSize?: number;
  /** How long a partial batch waits before export, ms. Default 500. */
  readonly scheduledDelayMs?: number;
  /** How long one export request may take, ms. Default 10000. */
  readonly exportTimeoutMs?: number;
  /** How long a flush waits for each worker thread's spans, ms. Default 5000. */
  readonly flushTimeoutMs?: number;
  /** Spans kept by the `memory` exporter (the most recent). Default 10000. */
  readonly memorySpanLimit?: number;
  /** Spans a worker thread holds for the main thread before dropping new ones. Default 4096. */
  readonly maxPendingSpansPerThread?: number;
  /** Environment to read instead of `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The settings in force after code, environment and defaults are combined. */
export interface ResolvedTelemetryOptions {
  readonly serviceName: string | undefined;
  readonly exporter: ExporterChoice;
  readonly endpoint: string;
  readonly sampler: SamplerConfig;
  readonly resourceAttributes: Attributes;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMs: number;
  readonly exportTimeoutMs: number;
  readonly flushTimeoutMs: number;
  readonly memorySpanLimit: number;
  readonly maxPendingSpansPerThread: number;
  readonly env: NodeJS.ProcessEnv;
}

const DEFAULT_ENDPOINT = 'http://localhost:4318/v1/traces';
const EXPORTER_NAMES = ['otlp', 'console', 'none', 'memory'] as const;

function positiveInteger(options: TelemetryOptions, field: keyof TelemetryOptions, fallback: number): number {
  const value = options[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`worker-otp telemetry: options.${field} must be a positive integer; got ${String(value)}`);
  }
  return value;
}

function endpointFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  // The spec appends the signal path to the base endpoint: .../v1/traces.
  if (base) return `${base.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

function exporterFromEnv(env: NodeJS.ProcessEnv): ExporterChoice | undefined {
  const raw = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (!raw) return undefined;
  // A comma-separated list is allowed; worker-otp runs one exporter, the first it knows.
  const names = raw.split(',').map((name) => name.trim());
  const known = names.find((name): name is 'otlp' | 'console' | 'none' => name === 'otlp' || name === 'console' || name === 'none');
  if (known === undefined) {
    diag.warn(`worker-otp telemetry: OTEL_TRACES_EXPORTER=${raw} names no exporter worker-otp has (otlp, console, none); ignoring it`);
  } else if (names.length > 1) {
    diag.warn(`worker-otp telemetry: OTEL_TRACES_EXPORTER=${raw} names several exporters; using ${known} only`);
  }
  return known;
}

/** Combines code, environment and defaults. Bad values given in code throw, naming the field. */
export function resolveTelemetryOptions(options: TelemetryOptions = {}): ResolvedTelemetryOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`worker-otp telemetry: options must be an object; got ${String(options)}`);
  }
  const env = options.env ?? process.env;
  const exporter = options.exporter;
  if (exporter !== undefined && typeof exporter !== 'object' && !EXPORTER_NAMES.includes(exporter)) {
    throw new TypeError(`worker-otp telemetry: options.exporter must be one of ${EXPORTER_NAMES.join(', ')} or a SpanExporter; got ${String(exporter)}`);
  }
  if (options.endpoint !== undefined && (typeof options.endpoint !== 'string' || !URL.canParse(options.endpoint))) {
    throw new TypeError(`worker-otp telemetry: options.endpoint must be a URL such as ${DEFAULT_ENDPOINT}; got ${String(options.endpoint)}`);
  }
  const configuredEndpoint = options.endpoint ?? endpointFromEnv(env);
  return {
    serviceName: options.serviceName ?? (env.OTEL_SERVICE_NAME?.trim() || undefined),
    exporter: exporter ?? exporterFromEnv(env) ?? (configuredEndpoint ? 'otlp' : 'memory'),
    endpoint: configuredEndpoint ?? DEFAULT_ENDPOINT,
    sampler: options.sampler ? validateSamplerConfig(options.sampler) : samplerConfigFromEnv(env),
    resourceAttributes: options.resourceAttributes ?? {},
    maxQueueSize: positiveInteger(options, 'maxQueueSize', 8192),
    maxExportBatchSize: positiveInteger(options, 'maxExportBatchSize', 512),
    scheduledDelayMs: positiveInteger(options, 'scheduledDelayMs', 500),
    exportTimeoutMs: positiveInteger(options, 'exportTimeoutMs', 10_000),
    flushTimeoutMs: positiveInteger(options, 'flushTimeoutMs', 5000),
    memorySpanLimit: positiveInteger(options, 'memorySpanLimit', 10_000),
    maxPendingSpansPerThread: positiveInteger(options, 'maxPendingSpansPerThread', 4096),
    env,
  };
}
