import { startTelemetry, type Telemetry } from '../../index';
import { printTraces } from './print-traces';

/**
 * The frame every example shares: telemetry on (OTEL_* variables respected), the
 * scenario, a flush of every thread's spans, then the trace printed here when no
 * collector is configured. Exits non-zero, with the reason, if the scenario fails.
 */
export function exampleMain(serviceName: string, scenario: (telemetry: Telemetry) => Promise<void>): void {
  // Code settings win over OTEL_* variables, so the name is given only as a fallback.
  const telemetry = startTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? serviceName });
  scenario(telemetry)
    .finally(() => telemetry.shutdown())
    .then(() => {
      if (telemetry.options.exporter === 'memory') printTraces(telemetry.finishedSpans());
      else console.log(`spans exported (${telemetry.options.exporter}): ${telemetry.stats.exportedSpans}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
