import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { resolveTelemetryOptions } from '../../dist/runtime/telemetry-options';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';

describe('resolveTelemetryOptions', () => {
  it('defaults as the specification does: OTLP/HTTP protobuf to localhost:4318, parent-based always on, enabled', () => {
    const resolved = resolveTelemetryOptions({ env: {} });
    expect(resolved).toEqual(
      expect.objectContaining({ exporter: 'otlp', endpoint: 'http://localhost:4318/v1/traces', protocol: 'http/protobuf', disabled: false }),
    );
    expect(resolved.sampler).toEqual({ name: 'parentbased_always_on' });
    expect(resolved.serviceName).toBeUndefined();
  });

  it.each([
    [{ OTEL_SDK_DISABLED: 'true' }, true],
    [{ OTEL_SDK_DISABLED: 'TRUE' }, true],
    [{ OTEL_SDK_DISABLED: 'false' }, false],
    [{ OTEL_SDK_DISABLED: '1' }, false],
  ])('reads OTEL_SDK_DISABLED %j', (env, disabled) => {
    expect(resolveTelemetryOptions({ env }).disabled).toBe(disabled);
  });

  it('reads the OTLP protocol, the traces-specific variable first', () => {
    expect(resolveTelemetryOptions({ env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } }).protocol).toBe('http/json');
    expect(resolveTelemetryOptions({ env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' } }).protocol).toBe('http/protobuf');
  });

  it('refuses grpc at once, saying what to use instead', () => {
    expect(() => resolveTelemetryOptions({ env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported; .*http\/protobuf/);
    expect(() => resolveTelemetryOptions({ env: {}, protocol: 'grpc' as never })).toThrow(/options\.protocol must be http\/protobuf or http\/json/);
  });

  it('reports an unknown value once, on stderr where a user sees it, and falls back to the default', () => {
    // A program of its own: warnings are the process's, printed as a user would see them.
    const script = `
      const { resolveTelemetryOptions } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'runtime', 'telemetry-options.js'))});
      const env = { OTEL_TRACES_EXPORTER: 'zipkinish', OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' };
      const first = resolveTelemetryOptions({ env });
      resolveTelemetryOptions({ env });
      console.log(JSON.stringify([first.exporter, first.protocol]));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(run.stdout)).toEqual(['otlp', 'http/protobuf']);
    expect(run.stderr.match(/OTEL_TRACES_EXPORTER=zipkinish names no exporter worker-otp has \(otlp, console, none\); using otlp/g)).toHaveLength(1);
    expect(run.stderr.match(/OTEL_EXPORTER_OTLP_PROTOCOL=carrier-pigeon is not an OTLP protocol/g)).toHaveLength(1);
  });

  it('records every span with tail sampling, saying on stderr that OTEL_TRACES_SAMPLER is ignored', () => {
    const script = `
      const { resolveTelemetryOptions } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'runtime', 'telemetry-options.js'))});
      const tail = resolveTelemetryOptions({ env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }, tailSampling: {} });
      const quiet = resolveTelemetryOptions({ env: { OTEL_TRACES_SAMPLER: 'always_on' }, tailSampling: {} });
      console.log(JSON.stringify([tail.sampler, quiet.sampler]));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(run.stdout)).toEqual([{ name: 'always_on' }, { name: 'always_on' }]);
    expect(run.stderr.match(/OTEL_TRACES_SAMPLER=traceidratio is ignored: options\.tailSampling records every span/g)).toHaveLength(1);
    expect(run.stderr).not.toMatch(/OTEL_TRACES_SAMPLER=always_on/);
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
