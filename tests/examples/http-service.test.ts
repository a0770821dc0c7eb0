/**
 * The HTTP service example, run as a user runs it, its Node SDK exporting to a real OTLP
 * receiver through the standard environment variables: one trace per request, from the
 * HTTP server span through the GenServer's and the pool's threads, under the SDK's resource.
 */
import { OtlpReceiver, type DecodedSpan } from '../../dist/tests/support/otlp-receiver';
import { runExample } from '../../dist/tests/support/run-example';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await OtlpReceiver.start();
});
afterAll(() => receiver.close());

it('exports one trace per request through the SDK, worker spans included', async () => {
  const run = await runExample('http-service', {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url.replace('/v1/traces', ''),
    OTEL_SERVICE_NAME: 'user-service-e2e',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  });
  expect(run.code).toBe(0);
  const spans = receiver.spans;
  const parentOf = (span: DecodedSpan) => spans.find((candidate) => candidate.spanId === span.parentSpanId);
  expect(spans.every((span) => span.resource['service.name'] === 'user-service-e2e')).toBe(true);
  const handled = receiver.named('user_cache.handle_call');
  expect(handled).toHaveLength(2);
  for (const handle of handled) {
    const call = parentOf(handle)!;
    expect(call.name).toBe('user_cache.call');
    expect(parentOf(call)).toEqual(expect.objectContaining({ name: expect.stringMatching(/^GET/), kind: 'SERVER' }));
  }
  const fetch = receiver.only('report_generator.fetch_user');
  const run_ = parentOf(fetch)!;
  expect(run_.name).toBe('fetchUser.run');
  expect(parentOf(parentOf(run_)!)).toEqual(expect.objectContaining({ kind: 'SERVER' }));
  expect(spans.filter((span) => span.parentSpanId !== '' && !parentOf(span))).toEqual([]);
});
