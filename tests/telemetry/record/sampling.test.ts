import { ROOT_CONTEXT, SpanKind, TraceFlags, trace, diag, DiagLogLevel } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { DEFAULT_SAMPLER, rootSampled, samplerConfigFromEnv, validateSamplerConfig } from '../../../dist/telemetry/record/sampling';
import { buildSampler } from '../../../dist/runtime/sdk-sampler';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

function decide(sampler: ReturnType<typeof buildSampler>, parentFlags?: TraceFlags) {
  const ctx = parentFlags === undefined
    ? ROOT_CONTEXT
    : trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: parentFlags, isRemote: true });
  return sampler.shouldSample(ctx, TRACE_ID, 'span', SpanKind.INTERNAL, {}, []).decision;
}

describe('samplerConfigFromEnv', () => {
  beforeAll(() => diag.setLogger({ error() {}, warn() {}, info() {}, debug() {}, verbose() {} }, DiagLogLevel.NONE));
  afterAll(() => diag.disable());

  it.each([
    [{}, DEFAULT_SAMPLER],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, { name: 'always_off' }],
    [{ OTEL_TRACES_SAMPLER: 'ALWAYS_ON' }, { name: 'always_on' }],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, { name: 'traceidratio', ratio: 0.25 }],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, { name: 'parentbased_traceidratio', ratio: 0 }],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio' }, { name: 'traceidratio', ratio: 1 }],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }, { name: 'traceidratio', ratio: 1 }],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' }, { name: 'traceidratio', ratio: 1 }],
    [{ OTEL_TRACES_SAMPLER: 'jaeger_remote' }, DEFAULT_SAMPLER],
  ])('reads %j', (env, expected) => {
    expect(samplerConfigFromEnv(env)).toEqual(expected);
  });
});

describe('validateSamplerConfig', () => {
  it('rejects an unknown name and an out-of-range ratio, naming the field', () => {
    expect(() => validateSamplerConfig({ name: 'sometimes' as never })).toThrow(/options\.sampler\.name must be one of always_on/);
    expect(() => validateSamplerConfig({ name: 'traceidratio', ratio: 2 })).toThrow(RangeError);
    expect(() => validateSamplerConfig({ name: 'traceidratio', ratio: 2 })).toThrow(/options\.sampler\.ratio/);
  });
});

describe('samplers', () => {
  it('main thread: always_on ignores an unsampled parent; parentbased follows it', () => {
    expect(decide(buildSampler({ name: 'always_on' }), TraceFlags.NONE)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(buildSampler({ name: 'parentbased_always_on' }), TraceFlags.NONE)).toBe(SamplingDecision.NOT_RECORD);
  });

  it('worker thread, for a trace it starts: the root sampler, the same way for the same trace id', () => {
    expect(rootSampled({ name: 'parentbased_always_on' }, TRACE_ID)).toBe(true);
    expect(rootSampled({ name: 'always_off' }, TRACE_ID)).toBe(false);
    expect(rootSampled({ name: 'traceidratio', ratio: 0 }, TRACE_ID)).toBe(false);
    expect(rootSampled({ name: 'traceidratio', ratio: 1 }, TRACE_ID)).toBe(true);
    const ids = Array.from({ length: 2000 }, (_, index) => (index * 2654435761 >>> 0).toString(16).padStart(32, '0'));
    const kept = ids.filter((id) => rootSampled({ name: 'parentbased_traceidratio', ratio: 0.25 }, id)).length;
    expect(kept / ids.length).toBeGreaterThan(0.2);
    expect(kept / ids.length).toBeLessThan(0.3);
    expect(ids.filter((id) => rootSampled({ name: 'traceidratio', ratio: 0.25 }, id)).length).toBe(kept);
  });
});
