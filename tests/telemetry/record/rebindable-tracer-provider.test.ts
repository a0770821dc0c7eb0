/**
 * Tracers taken once, at module load, keep working across a telemetry restart: they
 * record into the provider of the moment, not the first one they saw.
 */
import { trace } from '@opentelemetry/api';
import { startTelemetry } from '../../../dist';

const tracerTakenEarly = trace.getTracer('module-level');

it('follows the current provider after telemetry is stopped and started again', async () => {
  const first = startTelemetry({ exporter: 'memory', env: {} });
  tracerTakenEarly.startSpan('first.span').end();
  await first.shutdown();

  tracerTakenEarly.startSpan('between.span').end();

  const second = startTelemetry({ exporter: 'memory', env: {}, sampler: { name: 'always_on' } });
  tracerTakenEarly.startSpan('second.span').end();
  await second.shutdown();

  expect(first.finishedSpans().map((span) => span.name)).toEqual(['first.span']);
  expect(second.finishedSpans().map((span) => span.name)).toEqual(['second.span']);
});

it('makes non-recording spans while telemetry is stopped', () => {
  const span = tracerTakenEarly.startSpan('nowhere');
  expect(span.isRecording()).toBe(false);
  span.end();
});
