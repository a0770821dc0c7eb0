import { resolveTelemetryOptions } from '../../dist/runtime/telemetry-options';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';

describe('resolveTelemetryOptions', () => {
  it('defaults to the memory exporter when no endpoint is configured', () => {
    const resolved = resolveTelemetryOptions({ env: {} });
    expect(resolved.exporter).toBe('memory');
    expect(resolved.sampler).toEqual({ name: 'parentbased_always_on' });
    expect(resolved.serviceName).toBeUndefined();
  });

  it('exports over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces', () => {
    const resolved = resolveTelemetryOptions({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' } });
    expect(resolved.exporter).toBe('otlp');
    expect(resolved.endpoint).toBe('http://collector:4318/v1/traces');
  });

  it('prefers the traces-specific endpoint, used as given', () => {
    const resolved = resolveTelemetryOptions({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:9999/custom' },
    });
    expect(resolved.endpoint).toBe('http://b:9999/custom');
  });

  it('reads OTEL_SERVICE_NAME, OTEL_TRACES_EXPORTER and the sampler variables', () => {
    const resolved = resolveTelemetryOptions({
      env: { OTEL_SERVICE_NAME: 'billing', OTEL_TRACES_EXPORTER: 'console', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    });
    expect(resolved).toEqual(expect.objectContaining({ serviceName: 'billing', exporter: 'console', sampler: { name: 'parentbased_traceidratio', ratio: 0.1 } }));
  });

  it('lets OTEL_TRACES_EXPORTER=none switch export off even with an endpoint', () => {
    expect(resolveTelemetryOptions({ env: { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318' } }).exporter).toBe('none');
  });

  it('lets code override the environment', () => {
    const exporter = new InMemorySpanExporter();
    const resolved = resolveTelemetryOptions({
      serviceName: 'from-code',
      exporter,
      sampler: { name: 'always_off' },
      env: { OTEL_SERVICE_NAME: 'from-env', OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'always_on' },
    });
    expect(resolved.serviceName).toBe('from-code');
    expect(resolved.exporter).toBe(exporter);
    expect(resolved.sampler).toEqual({ name: 'always_off' });
  });

  it.each([
    [{ maxQueueSize: 0 }, /options\.maxQueueSize must be a positive integer; got 0/],
    [{ exportTimeoutMs: 1.5 }, /options\.exportTimeoutMs must be a positive integer/],
    [{ flushTimeoutMs: -1 }, /options\.flushTimeoutMs/],
    [{ exporter: 'jaeger' }, /options\.exporter must be one of otlp, console, none, memory/],
    [{ endpoint: 'not a url' }, /options\.endpoint must be a URL/],
    [{ sampler: { name: 'traceidratio', ratio: -0.1 } }, /options\.sampler\.ratio/],
  ])('rejects %j, naming the field', (options, message) => {
    expect(() => resolveTelemetryOptions({ env: {}, ...(options as object) })).toThrow(message);
  });
});
