import type { Attributes } from '@opentelemetry/api';
import { reportConfigProblem } from '../telemetry/config-warning';
import type { SdkSpanExporter } from '../telemetry/sdk-types';
import { samplerConfigFromEnv, validateSamplerConfig, type SamplerConfig } from '../telemetry/record/sampling';
import { resolveTailSamplingOptions, type TailSamplingOptions } from '../telemetry/export/tail-decisions';
import { resolveMetricsOptions, type MetricsOptions, type ResolvedMetricsOptions } from './metrics-options';

/**
 * Where spans go: `otlp` (OTLP/HTTP protobuf to a collector), `console` (printed),
 * `none` (recorded for propagation, not exported), `memory` (kept in a bounded buffer
 * for the program to render), or an exporter of your own.
 */
export type ExporterChoice = 'otlp' | 'console' | 'none' | 'memory' | SdkSpanExporter;

/**
 * Telemetry settings. Every field is optional: what is not given in code comes from the
 * standard OpenTelemetry environment variables, then from the defaults below.
 */
export interface TelemetryOptions {
  /** `service.name` of every span. Env: `OTEL_SERVICE_NAME`. */
  readonly serviceName?: string;
  /** Env: `OTEL_TRACES_EXPORTER` (`otlp`, `console`, `none`). Default `otlp`, as the specification says. */
  readonly exporter?: ExporterChoice;
  /**
   * How OTLP travels: `http/protobuf` or `http/json`. Env: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`,
   * then `OTEL_EXPORTER_OTLP_PROTOCOL`. Default `http/protobuf`. (`grpc` is not supported.)
   */
  readonly protocol?: OtlpProtocol;
  /** Records and exports nothing, registers nothing. Env: `OTEL_SDK_DISABLED=true`. Default false. */
  readonly disabled?: boolean;
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
  /**
   * Tail sampling: every span is recorded, and a trace is exported once its local root has
   * ended if any of its spans failed, if it ran longer than `keepSlowerThanMs`, or for
   * `keepRatio` of the rest (default 1 %). Takes the place of head sampling: the sampler is
   * `always_on` (giving another one with it throws). Default: off.
   */
  readonly tailSampling?: TailSamplingOptions;
  /** Metrics export (see {@link MetricsOptions}). Default: off unless `OTEL_METRICS_EXPORTER` names an exporter. */
  readonly metrics?: MetricsOptions;
  /** Environment to read instead of `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The OTLP transports worker-otp exports with. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** The settings in force after code, environment and defaults are combined. */
export interface ResolvedTelemetryOptions {
  readonly disabled: boolean;
  readonly serviceName: string | undefined;
  readonly exporter: ExporterChoice;
  readonly endpoint: string;
  readonly protocol: OtlpProtocol;
  readonly sampler: SamplerConfig;
  readonly resourceAttributes: Attributes;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMs: number;
  readonly exportTimeoutMs: number;
  readonly flushTimeoutMs: number;
  readonly memorySpanLimit: number;
  readonly maxPendingSpansPerThread: number;
  readonly tailSampling: Required<TailSamplingOptions> | undefined;
  readonly metrics: ResolvedMetricsOptions;
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
    reportConfigProblem(`worker-otp telemetry: OTEL_TRACES_EXPORTER=${raw} names no exporter worker-otp has (otlp, console, none); using otlp`);
  } else if (names.length > 1) {
    reportConfigProblem(`worker-otp telemetry: OTEL_TRACES_EXPORTER=${raw} names several exporters; using ${known} only`);
  }
  return known;
}

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];
const GRPC_ADVICE = 'worker-otp exports OTLP over HTTP only: use http/protobuf (port 4318) or http/json';

function protocolFromEnv(env: NodeJS.ProcessEnv): OtlpProtocol | undefined {
  const variable = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const raw = env[variable]?.trim().toLowerCase();
  if (!raw) return undefined;
  if ((PROTOCOLS as readonly string[]).includes(raw)) return raw as OtlpProtocol;
  // Sending HTTP to a gRPC collector fails on every export: refuse at once rather than fall back.
  if (raw === 'grpc') throw new TypeError(`worker-otp telemetry: ${variable}=grpc is not supported; ${GRPC_ADVICE}`);
  reportConfigProblem(`worker-otp telemetry: ${variable}=${raw} is not an OTLP protocol worker-otp knows (http/protobuf, http/json); using http/protobuf`);
  return undefined;
}

/** `OTEL_SDK_DISABLED`: only `true` (any case) disables, as the specification says. */
function disabledFromEnv(env: NodeJS.ProcessEnv): boolean {
  return env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
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
  if (options.protocol !== undefined && !PROTOCOLS.includes(options.protocol)) {
    throw new TypeError(`worker-otp telemetry: options.protocol must be http/protobuf or http/json; got ${String(options.protocol)}${(options.protocol as string) === 'grpc' ? ` (${GRPC_ADVICE})` : ''}`);
  }
  if (options.disabled !== undefined && typeof options.disabled !== 'boolean') {
    throw new TypeError(`worker-otp telemetry: options.disabled must be a boolean; got ${String(options.disabled)}`);
  }
  const tailSampling = options.tailSampling === undefined ? undefined : resolveTailSamplingOptions(options.tailSampling);
  if (tailSampling && options.sampler !== undefined && options.sampler.name !== 'always_on') {
    throw new TypeError(`worker-otp telemetry: options.tailSampling decides after a trace has ended, so every span is recorded: leave options.sampler out (or always_on); got ${options.sampler.name}`);
  }
  const envSampler = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  if (tailSampling && envSampler && envSampler !== 'always_on' && envSampler !== 'parentbased_always_on') {
    reportConfigProblem(`worker-otp telemetry: OTEL_TRACES_SAMPLER=${envSampler} is ignored: options.tailSampling records every span and decides once a trace has ended`);
  }
  return {
    disabled: options.disabled ?? disabledFromEnv(env),
    serviceName: options.serviceName ?? (env.OTEL_SERVICE_NAME?.trim() || undefined),
    exporter: exporter ?? exporterFromEnv(env) ?? 'otlp',
    endpoint: options.endpoint ?? endpointFromEnv(env) ?? DEFAULT_ENDPOINT,
    protocol: options.protocol ?? protocolFromEnv(env) ?? 'http/protobuf',
    sampler: tailSampling ? { name: 'always_on' } : options.sampler ? validateSamplerConfig(options.sampler) : samplerConfigFromEnv(env),
    resourceAttributes: options.resourceAttributes ?? {},
    maxQueueSize: positiveInteger(options, 'maxQueueSize', 8192),
    maxExportBatchSize: positiveInteger(options, 'maxExportBatchSize', 512),
    scheduledDelayMs: positiveInteger(options, 'scheduledDelayMs', 500),
    exportTimeoutMs: positiveInteger(options, 'exportTimeoutMs', 10_000),
    flushTimeoutMs: positiveInteger(options, 'flushTimeoutMs', 5000),
    memorySpanLimit: positiveInteger(options, 'memorySpanLimit', 10_000),
    maxPendingSpansPerThread: positiveInteger(options, 'maxPendingSpansPerThread', 4096),
    tailSampling,
    metrics: resolveMetricsOptions(options.metrics, env),
    env,
  };
}
