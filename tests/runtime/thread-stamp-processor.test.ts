/** The stamp every thread's spans get: the thread, and a start on the shared clock unless the caller gave one. */
import { trace } from '@opentelemetry/api';
import { startTelemetry } from '../../dist';

it('moves SDK-stamped starts onto the nanosecond clock, keeps explicit ones, and names the thread', async () => {
  const telemetry = startTelemetry({ exporter: 'memory', env: {} });
  const tracer = trace.getTracer('stamp-test');
  for (let index = 0; index < 20; index++) tracer.startSpan('auto').end();
  tracer.startSpan('explicit', { startTime: 1_700_000_000_000 }).end();
  await telemetry.shutdown();
  const spans = telemetry.finishedSpans();
  const auto = spans.filter((span) => span.name === 'auto');
  // The SDK alone stamps whole milliseconds; at most one in a million readings is one.
  expect(auto.filter((span) => span.startTime[1] % 1_000_000 !== 0).length).toBeGreaterThanOrEqual(19);
  expect(spans.find((span) => span.name === 'explicit')!.startTime).toEqual([1_700_000_000, 0]);
  expect(spans.every((span) => span.attributes['thread.name'] === 'main' && span.attributes['thread.id'] === 0)).toBe(true);
});
