/**
 * worker-otp's own setup exporting metrics when asked (OTEL_METRICS_EXPORTER=otlp): the
 * OTLP/HTTP protobuf request that reaches a real loopback receiver at /v1/metrics carries
 * worker-otp's instruments with the traces' resource; without the variable, nothing is
 * sent there.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGenServer, startTelemetry } from '../../dist';
import { fixturePath } from '../../dist/tests/support/fixtures';

interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

let server: Server;
const received: Received[] = [];
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', contentType: request.headers['content-type'], body: Buffer.concat(chunks) });
      response.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

it('exports its instruments over OTLP/HTTP protobuf to /v1/metrics, with the service resource', async () => {
  const telemetry = startTelemetry({
    serviceName: 'metered-service',
    env: { OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: base, OTEL_METRIC_EXPORT_INTERVAL: '600000' },
  });
  const server = await startGenServer(fixturePath('edge-server'), {}, { name: 'exported_one' });
  try {
    await server.call({ type: 'echo', value: 1 });
  } finally {
    await server.stop();
    // Shutting down exports what the reader holds.
    await telemetry.shutdown();
  }
  const metricRequests = received.filter((request) => request.path === '/v1/metrics');
  expect(metricRequests.length).toBeGreaterThanOrEqual(1);
  expect(metricRequests[0]!.contentType).toBe('application/x-protobuf');
  const body = Buffer.concat(metricRequests.map((request) => request.body)).toString('latin1');
  // Protobuf keeps strings as they are: the names, the scope and the resource are readable in the bytes.
  for (const text of ['worker_otp.process.exits', 'worker_otp.process.message.duration', 'worker-otp', 'metered-service', 'exported_one']) {
    expect(body).toContain(text);
  }
});

it('sends no metrics unless an exporter is named', async () => {
  received.length = 0;
  const telemetry = startTelemetry({ exporter: 'none', env: { OTEL_EXPORTER_OTLP_ENDPOINT: base } });
  const server = await startGenServer(fixturePath('edge-server'), {}, {});
  await server.stop();
  await telemetry.shutdown();
  expect(received.filter((request) => request.path === '/v1/metrics')).toEqual([]);
});
