/**
 * An HTTP service that already runs OpenTelemetry, with worker-otp added and nothing else:
 * the real Node SDK, the real HTTP instrumentation, a real OTLP receiver. Each request is
 * one trace, across the main thread, a GenServer's thread and the task pool's threads,
 * under the application's resource, with no orphan and no duplicate; whatever way the
 * application set its OpenTelemetry up.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { appOnApi110, runConsumerApp, type ConsumerRun } from '../../dist/tests/support/consumer-app';
import { OtlpReceiver, type DecodedSpan } from '../../dist/tests/support/otlp-receiver';

jest.setTimeout(60_000);

let receiver: OtlpReceiver;

beforeEach(async () => {
  receiver = await OtlpReceiver.start();
});

afterEach(async () => {
  await receiver.close();
});

const PATHS = ['/cache/a', '/task/3', '/map', '/thread-modules', '/api-version'];

/** The env of an app configured by the standard variables only. */
function otelEnv(serviceName: string): NodeJS.ProcessEnv {
  return {
    OTEL_SERVICE_NAME: serviceName,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url.replace(/\/v1\/traces$/, ''),
    APP_TRACES_URL: receiver.url,
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http',
  };
}

function childOf(parent: DecodedSpan, name: string, kind?: DecodedSpan['kind']): DecodedSpan[] {
  return receiver.spans.filter((span) => span.parentSpanId === parent.spanId && span.name === name && (!kind || span.kind === kind));
}

function onlyChild(parent: DecodedSpan, name: string, kind?: DecodedSpan['kind']): DecodedSpan {
  const found = childOf(parent, name, kind);
  if (found.length !== 1) throw new Error(`expected one ${name} under ${parent.name}; got ${found.length} of ${receiver.spans.map((span) => span.name).join(', ')}`);
  return found[0]!;
}

/** The server span of the request to `path`. */
function requestSpan(path: string): DecodedSpan {
  const found = receiver.spans.filter(
    (span) => span.kind === 'SERVER' && span.name.startsWith('GET') && (span.attributes['http.target'] === path || span.attributes['url.path'] === path),
  );
  if (found.length !== 1) throw new Error(`expected one GET span for ${path}; got ${found.length}`);
  return found[0]!;
}

function checkTraces(run: ConsumerRun, serviceName: string): void {
  expect(run.exitCode).toBe(0);
  expect(JSON.parse(run.responses.get('/cache/a')!)).toEqual({ value: 'value of a', active: true });
  expect(JSON.parse(run.responses.get('/task/3')!)).toBe('3 pages');
  expect(JSON.parse(run.responses.get('/map')!)).toEqual([2, 4, 6, 8]);
  const spans = receiver.spans;
  // No duplicates, no orphans, one service.
  expect(new Set(spans.map((span) => span.spanId)).size).toBe(spans.length);
  const ids = new Set(spans.map((span) => span.spanId));
  expect(spans.filter((span) => span.parentSpanId !== '' && !ids.has(span.parentSpanId)).map((span) => span.name)).toEqual([]);
  expect(new Set(spans.map((span) => span.resource['service.name']))).toEqual(new Set([serviceName]));

  const cacheRequest = requestSpan('/cache/a');
  const call = onlyChild(cacheRequest, 'cache.call', 'CLIENT');
  const handle = onlyChild(call, 'cache.handle_call', 'SERVER');
  const lookup = onlyChild(handle, 'cache.lookup');
  expect(new Set([cacheRequest, call, handle, lookup].map((span) => span.traceId)).size).toBe(1);
  expect(call.attributes['thread.name']).toBe('main');
  expect(handle.attributes['thread.name']).toBe('cache');
  expect(lookup.attributes['cache.key']).toBe('a');
  // On one clock: the process's span lies within the caller's.
  expect(handle.startTimeUnixNano).toBeGreaterThanOrEqual(call.startTimeUnixNano);
  expect(handle.endTimeUnixNano).toBeLessThanOrEqual(call.endTimeUnixNano);

  const taskRequest = requestSpan('/task/3');
  const submit = onlyChild(taskRequest, 'render.submit', 'CLIENT');
  const run_ = onlyChild(submit, 'render.run', 'SERVER');
  const pages = onlyChild(run_, 'render.pages');
  expect(String(run_.attributes['thread.name'])).toMatch(/^render_pool#\d+$/);
  expect(pages.attributes.pages).toBe(3);

  const mapRequest = requestSpan('/map');
  const chunks = childOf(mapRequest, 'double.map_chunk', 'SERVER');
  expect(chunks.map((chunk) => chunk.attributes['worker_otp.task.items'])).toEqual([2, 2]);
}

function threadModules(run: ConsumerRun): { modules: string[]; apiVersion: string } {
  return JSON.parse(run.responses.get('/thread-modules')!) as { modules: string[]; apiVersion: string };
}

it('NodeSDK configured by the OTEL_* variables: complete traces with no worker-otp code', async () => {
  const run = await runConsumerApp({ setup: 'nodesdk-env', env: otelEnv('billing-env'), paths: PATHS });
  checkTraces(run, 'billing-env');
});

it('the zero-code preload: complete traces, and no thread worker-otp starts runs the preload again', async () => {
  const run = await runConsumerApp({
    setup: 'none',
    nodeArgs: ['--require', '@opentelemetry/auto-instrumentations-node/register'],
    env: otelEnv('billing-zero-code'),
    paths: PATHS,
  });
  checkTraces(run, 'billing-zero-code');
  const { modules } = threadModules(run);
  expect(modules.filter((path) => /@opentelemetry\/(sdk-node|sdk-trace|auto-instrumentations-node|instrumentation)/.test(path))).toEqual([]);
});

it('the zero-code preload given in NODE_OPTIONS: the threads leave it out too', async () => {
  const run = await runConsumerApp({
    setup: 'none',
    env: { ...otelEnv('billing-node-options'), NODE_OPTIONS: '--require @opentelemetry/auto-instrumentations-node/register' },
    paths: PATHS,
  });
  checkTraces(run, 'billing-node-options');
  expect(threadModules(run).modules.filter((path) => path.includes('sdk-node'))).toEqual([]);
});

it('a NodeTracerProvider set up in code: found and joined, its resource on every span', async () => {
  const run = await runConsumerApp({ setup: 'provider-in-code', env: otelEnv('ignored'), paths: PATHS });
  checkTraces(run, 'code-configured-app');
  expect(receiver.spans.every((span) => span.resource['deployment.environment.name'] === 'test')).toBe(true);
});

it('the one documented line: WorkerSpanProcessor around the app\'s own processor', async () => {
  const run = await runConsumerApp({ setup: 'processor-in-code', env: otelEnv('ignored'), paths: PATHS });
  checkTraces(run, 'code-configured-app');
});

it('tail sampling in the app\'s own SDK: a trace with a failed task is kept whole, from every thread; healthy ones are released', async () => {
  const run = await runConsumerApp({ setup: 'tail-in-code', env: otelEnv('ignored'), paths: ['/cache/a', '/task/3', '/task/-1'] });
  expect(run.exitCode).toBe(0);
  expect(run.responses.get('/task/-1')).toContain('cannot render -1 pages');
  const failed = requestSpan('/task/-1');
  const submit = onlyChild(failed, 'render.submit', 'CLIENT');
  const taskRun = onlyChild(submit, 'render.run', 'SERVER');
  expect(taskRun.status.code).toBe('ERROR');
  expect(String(taskRun.attributes['thread.name'])).toMatch(/^render_pool#\d+$/);
  // Nothing of the healthy requests' traces, everything of the failed one's.
  expect(new Set(receiver.spans.map((span) => span.traceId))).toEqual(new Set([failed.traceId]));
});

describe('an app on @opentelemetry/api 1.10', () => {
  let appDir: string;

  beforeAll(() => {
    appDir = appOnApi110();
  });

  afterAll(() => rmSync(dirname(appDir), { recursive: true, force: true }));

  it('has one copy of the API: the main thread and the process threads register with 1.10, and every span arrives', async () => {
    const run = await runConsumerApp({
      setup: 'provider-in-code',
      appDir,
      nodeArgs: ['--preserve-symlinks', '--preserve-symlinks-main'],
      env: otelEnv('ignored'),
      paths: PATHS,
    });
    expect(JSON.parse(run.responses.get('/api-version')!)).toBe('1.10.0');
    expect(threadModules(run).apiVersion).toBe('1.10.0');
    checkTraces(run, 'code-configured-app');
  });
});
