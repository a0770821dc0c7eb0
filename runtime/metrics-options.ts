/**
 * Settings of the metrics export worker-otp's own setup adds (see `TelemetryOptions.metrics`):
 * code first, then the `OTEL_*` variables, then defaults. Off unless an exporter is named:
 * its SDK packages are optional, and a setup that exported traces until now should not
 * start sending metrics (or fail for want of a package) by an upgrade.
 */
import { reportConfigProblem } from '../telemetry/config-warning';

export type MetricsExporterName = 'otlp' | 'console' | 'none';

/** How worker-otp's own setup exports metrics. */
export interface MetricsOptions {
  /** Env: `OTEL_METRICS_EXPORTER` (`otlp`, `console`, `none`). Default `none`: worker-otp records metrics only into a MeterProvider the application has. */
  readonly exporter?: MetricsExporterName;
  /** OTLP/HTTP protobuf metrics URL. Env: `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, or `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/metrics`. Default `http://localhost:4318/v1/metrics`. */
  readonly endpoint?: string;
  /** Between exports, ms. Env: `OTEL_METRIC_EXPORT_INTERVAL`. Default 60000. */
  readonly intervalMs?: number;
}

export interface ResolvedMetricsOptions {
  readonly exporter: MetricsExporterName;
  readonly endpoint: string;
  readonly intervalMs: number;
  /** How long one export may take, ms (env `OTEL_METRIC_EXPORT_TIMEOUT`, default 30000; never more than the interval). */
  readonly timeoutMs: number;
}

const NAMES: readonly MetricsExporterName[] = ['otlp', 'console', 'none'];
const DEFAULT_ENDPOINT = 'http://localhost:4318/v1/metrics';

function exporterFromEnv(env: NodeJS.ProcessEnv): MetricsExporterName | undefined {
  const raw = env.OTEL_METRICS_EXPORTER?.trim().toLowerCase();
  if (!raw) return undefined;
  const known = raw.split(',').map((name) => name.trim()).find((name): name is MetricsExporterName => (NAMES as readonly string[]).includes(name));
  if (known === undefined) reportConfigProblem(`worker-otp telemetry: OTEL_METRICS_EXPORTER=${raw} names no exporter worker-otp has (otlp, console, none); no metrics are exported`);
  return known ?? 'none';
}

function millisFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (Number.isInteger(value) && value > 0) return value;
  reportConfigProblem(`worker-otp telemetry: ${name}=${raw} is not a positive number of milliseconds; using the default`);
  return undefined;
}

export function resolveMetricsOptions(options: MetricsOptions | undefined, env: NodeJS.ProcessEnv): ResolvedMetricsOptions {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new TypeError(`worker-otp telemetry: options.metrics must be an object; got ${String(options)}`);
  if (options?.exporter !== undefined && !NAMES.includes(options.exporter)) {
    throw new TypeError(`worker-otp telemetry: options.metrics.exporter must be one of ${NAMES.join(', ')}; got ${String(options.exporter)}`);
  }
  if (options?.endpoint !== undefined && (typeof options.endpoint !== 'string' || !URL.canParse(options.endpoint))) {
    throw new TypeError(`worker-otp telemetry: options.metrics.endpoint must be a URL such as ${DEFAULT_ENDPOINT}; got ${String(options.endpoint)}`);
  }
  if (options?.intervalMs !== undefined && !(Number.isInteger(options.intervalMs) && options.intervalMs > 0)) {
    throw new RangeError(`worker-otp telemetry: options.metrics.intervalMs must be a positive integer; got ${String(options.intervalMs)}`);
  }
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const intervalMs = options?.intervalMs ?? millisFromEnv(env, 'OTEL_METRIC_EXPORT_INTERVAL') ?? 60_000;
  return {
    exporter: options?.exporter ?? exporterFromEnv(env) ?? 'none',
    endpoint: options?.endpoint ?? (env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT?.trim() || (base ? `${base.replace(/\/+$/, '')}/v1/metrics` : DEFAULT_ENDPOINT)),
    intervalMs,
    timeoutMs: Math.min(intervalMs, millisFromEnv(env, 'OTEL_METRIC_EXPORT_TIMEOUT') ?? 30_000),
  };
}
