import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import type { SamplerConfig } from '../telemetry/record/sampling';

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

/** The main thread's SDK sampler: exactly what the configuration names. */
export function buildSampler(config: SamplerConfig): Sampler {
  const root = rootSampler(config);
  return config.name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}
