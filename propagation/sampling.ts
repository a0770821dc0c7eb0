import { diag } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';

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
 * is reported through `diag` and replaced by the specification's default, never thrown.
 */
export function samplerConfigFromEnv(env: NodeJS.ProcessEnv): SamplerConfig {
  const rawName = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  if (!rawName) return DEFAULT_SAMPLER;
  if (!isSamplerName(rawName)) {
    diag.warn(`worker-otp: OTEL_TRACES_SAMPLER=${rawName} is not one of ${SAMPLER_NAMES.join(', ')}; using ${DEFAULT_SAMPLER.name}`);
    return DEFAULT_SAMPLER;
  }
  if (!rawName.endsWith('traceidratio')) return { name: rawName };
  const rawRatio = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (!rawRatio) return { name: rawName, ratio: 1 };
  const ratio = Number(rawRatio);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    diag.warn(`worker-otp: OTEL_TRACES_SAMPLER_ARG=${rawRatio} is not a ratio from 0 to 1; using 1`);
    return { name: rawName, ratio: 1 };
  }
  return { name: rawName, ratio };
}

function rootSampler(config: SamplerConfig): Sampler {
  switch (config.name) {
    case 'always_on':
    case 'parentbased_always_on':
      return new AlwaysOnSampler();
    case 'always_off':
    case 'parentbased_always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
    case 'parentbased_traceidratio':
      return new TraceIdRatioBasedSampler(config.ratio ?? 1);
  }
}

/** The sampler for the main thread: exactly what the configuration names. */
export function buildSampler(config: SamplerConfig): Sampler {
  const root = rootSampler(config);
  return config.name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/**
 * The sampler for a worker thread: always parent-based, so a worker follows the decision
 * of whoever sent it the message, and applies the configured sampler only to a trace it
 * starts itself (a message with no context, or a malformed one).
 */
export function buildWorkerSampler(config: SamplerConfig): Sampler {
  return new ParentBasedSampler({ root: rootSampler(config) });
}
