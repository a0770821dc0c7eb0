import { reportConfigProblem } from '../config-warning';

/**
 * The samplers of `OTEL_TRACES_SAMPLER`, by their standard names:
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
 */
export const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** A sampler, as `OTEL_TRACES_SAMPLER` names it. */
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/**
 * Which sampler to use. Plain data, so the main thread can hand it to every worker.
 * `ratio` (0..1) applies to the `traceidratio` kinds; it defaults to 1.
 */
export interface SamplerConfig {
  readonly name: SamplerName;
  readonly ratio?: number;
}

/** The specification's default: `parentbased_always_on`. */
export const DEFAULT_SAMPLER: SamplerConfig = { name: 'parentbased_always_on' };

function isSamplerName(value: string): value is SamplerName {
  return (SAMPLER_NAMES as readonly string[]).includes(value);
}

/**
 * Checks a sampler given in code. Control plane: bad values throw, naming the field.
 */
export function validateSamplerConfig(config: SamplerConfig, field = 'options.sampler'): SamplerConfig {
  if (config === null || typeof config !== 'object' || !isSamplerName(String(config.name))) {
    throw new TypeError(`${field}.name must be one of ${SAMPLER_NAMES.join(', ')}; got ${JSON.stringify(config?.name)}`);
  }
  if (config.ratio !== undefined && !(typeof config.ratio === 'number' && config.ratio >= 0 && config.ratio <= 1)) {
    throw new RangeError(`${field}.ratio must be a number from 0 to 1; got ${String(config.ratio)}`);
  }
  return config;
}

/**
 * Reads `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`. Telemetry plane: a bad value
 * is reported once (see `reportConfigProblem`) and replaced by the specification's default, never thrown.
 */
export function samplerConfigFromEnv(env: NodeJS.ProcessEnv): SamplerConfig {
  const rawName = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  if (!rawName) return DEFAULT_SAMPLER;
  if (!isSamplerName(rawName)) {
    reportConfigProblem(`worker-otp: OTEL_TRACES_SAMPLER=${rawName} is not one of ${SAMPLER_NAMES.join(', ')}; using ${DEFAULT_SAMPLER.name}`);
    return DEFAULT_SAMPLER;
  }
  if (!rawName.endsWith('traceidratio')) return { name: rawName };
  const rawRatio = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (!rawRatio) return { name: rawName, ratio: 1 };
  const ratio = Number(rawRatio);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    reportConfigProblem(`worker-otp: OTEL_TRACES_SAMPLER_ARG=${rawRatio} is not a ratio from 0 to 1; using 1`);
    return { name: rawName, ratio: 1 };
  }
  return { name: rawName, ratio };
}

/**
 * The decision a worker thread makes for a trace it starts itself (a message with no
 * context): the configured sampler's, without the SDK. Ratio sampling keeps a trace when
 * the last 8 hex digits of its id, as a fraction of 2^32, fall below the ratio, so every
 * thread decides the same way for the same trace.
 */
export function rootSampled(config: SamplerConfig, traceId: string): boolean {
  switch (config.name) {
    case 'always_on':
    case 'parentbased_always_on':
      return true;
    case 'always_off':
    case 'parentbased_always_off':
      return false;
    case 'traceidratio':
    case 'parentbased_traceidratio':
      return parseInt(traceId.slice(-8), 16) / 2 ** 32 < (config.ratio ?? 1);
  }
}
