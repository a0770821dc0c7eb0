/**
 * The collector misbehaving — down, down and back, 503, slow, resetting connections, too
 * slow for the load — while a real GenServer is traced. The program completes, nothing
 * is thrown into it, every span is accounted for (exported, dropped or failed, never
 * silently lost), spans flow again after recovery, and shutdown stays bounded.
 */
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { startGenServer, startTelemetry, type GenServer, type Telemetry, type TelemetryOptions } from '../../dist';
import type Counter from '../../dist/tests/fixtures/counter-server';
import { fixturePath } from '../../dist/tests/support/fixtures';
import { OtlpReceiver } from '../../dist/tests/support/otlp-receiver';

let telemetry: Telemetry | undefined;
let server: GenServer<typeof Counter> | undefined;
const receivers: OtlpReceiver[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(() => diag.setLogger({ error() {}, warn() {}, info() {}, debug() {}, verbose() {} }, DiagLogLevel.NONE));
afterAll(() => diag.disable());
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  await server?.kill();
  server = undefined;
  await telemetry?.shutdown();
  telemetry = undefined;
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

async function receiver(...args: Parameters<typeof OtlpReceiver.start>): Promise<OtlpReceiver> {
  const started = await OtlpReceiver.start(...args);
  receivers.push(started);
  return started;
}

/** A port where nothing listens: a collector that is down. */
async function deadEndpoint(): Promise<{ url: string; port: number }> {
  const gone = await OtlpReceiver.start();
  const { url, port } = gone;
  await gone.close();
  return { url, port };
}

/** Telemetry and a traced GenServer; its init is the first span. */
async function start(options: TelemetryOptions): Promise<void> {
  telemetry = startTelemetry({ env: {}, serviceName: 'collector-faults', ...options });
  server = await startGenServer<typeof Counter>(fixturePath('counter-server'), undefined);
}

/** `count` calls, each two spans (the call, and handle_call in the process's thread). */
async function calls(count: number): Promise<void> {
  for (let index = 0; index < count; index++) await server!.call({ type: 'get' });
}

const accounted = (t: Telemetry) => t.stats.exportedSpans + t.stats.droppedSpans + t.stats.failedSpans;

it('down from the start: the program completes, every span is counted as failed, shutdown is bounded', async () => {
  const { url } = await deadEndpoint();
  await start({ endpoint: url, exportTimeoutMs: 1000 });
  await calls(20);
  const started = Date.now();
  await telemetry!.shutdown();
  expect(Date.now() - started).toBeLessThan(1000 + 2000);
  expect(telemetry!.stats).toEqual(expect.objectContaining({ exportedSpans: 0, failedSpans: 41 }));
});

it('down mid-run and back: spans flow again after recovery', async () => {
  const first = await receiver();
  await start({ endpoint: first.url, exportTimeoutMs: 2000 });
  await calls(10);
  await telemetry!.forceFlush();
  expect(first.spans).toHaveLength(21);
  const port = first.port;
  await first.close();
  await calls(10);
  await telemetry!.forceFlush();
  expect(telemetry!.stats.failedSpans).toBe(20);
  const back = await receiver({}, port);
  await calls(10);
  await telemetry!.shutdown();
  expect(back.spans).toHaveLength(20);
  expect(telemetry!.stats).toEqual(expect.objectContaining({ exportedSpans: 41, failedSpans: 20 }));
});

it('answering 503: the exporter retries, and the spans arrive', async () => {
  const flaky = await receiver({ unavailableFirst: 2 });
  await start({ endpoint: flaky.url, exportTimeoutMs: 15_000 });
  await calls(20);
  await telemetry!.shutdown();
  expect(flaky.spans).toHaveLength(41);
  expect(flaky.requests).toBe(3);
  expect(telemetry!.stats).toEqual(expect.objectContaining({ exportedSpans: 41, failedSpans: 0 }));
}, 30_000);

it('answering slowly past the export timeout: exports fail and are counted, the program is not held up', async () => {
  const slow = await receiver({ delayMs: 1500 });
  await start({ endpoint: slow.url, exportTimeoutMs: 200 });
  await calls(20);
  const started = Date.now();
  await telemetry!.shutdown();
  expect(Date.now() - started).toBeLessThan(200 + 2000);
  expect(telemetry!.stats.failedSpans).toBe(41);
  expect(slow.spans).toHaveLength(0);
});

it('resetting connections: exports fail and are counted; once it answers again, spans flow', async () => {
  const resetting = await receiver({ reset: true });
  await start({ endpoint: resetting.url, exportTimeoutMs: 2000 });
  await calls(10);
  await telemetry!.forceFlush();
  expect(telemetry!.stats.failedSpans).toBe(21);
  resetting.behaviour = {};
  await calls(10);
  await telemetry!.shutdown();
  expect(resetting.spans).toHaveLength(20);
  expect(accounted(telemetry!)).toBe(41);
});

it('slower than the load: the queue stays within its limit, drops are counted, nothing is silently lost', async () => {
  const slow = await receiver({ delayMs: 300 });
  await start({ endpoint: slow.url, exportTimeoutMs: 5000, maxQueueSize: 20, maxExportBatchSize: 10 });
  await calls(100);
  await telemetry!.shutdown();
  const { stats } = telemetry!;
  expect(stats.droppedSpans).toBeGreaterThan(0);
  expect(accounted(telemetry!)).toBe(201);
  expect(slow.spans).toHaveLength(stats.exportedSpans);
});
