import { startTelemetry, type FinishedSpan } from '../../index';
import { localExporterUnlessConfigured } from './local-exporter';
import { printTraces } from './print-traces';
import type { Scenario } from './scenario';

/**
 * Runs one scenario as a program of its own (`node dist/examples/<name>.js`): telemetry
 * on (OTEL_* variables respected), the scenario, a flush of every thread's spans, then
 * the trace printed here when no collector is configured. Exits non-zero, with the
 * reason, if the scenario fails.
 */
export async function runAlone(scenario: Scenario): Promise<void> {
  // Code settings win over OTEL_* variables, so the service name is only a fallback.
  const telemetry = startTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? `${scenario.name}-example`, ...localExporterUnlessConfigured(), ...scenario.telemetry });
  const added: FinishedSpan[] = [];
  try {
    await scenario.run({ telemetry, log: (line) => console.log(line), interactive: Boolean(process.stdout.isTTY), addSpans: (spans) => added.push(...spans) });
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await telemetry.shutdown();
  }
  if (telemetry.options.exporter === 'memory') printTraces([...telemetry.finishedSpans(), ...added], { colour: Boolean(process.stdout.isTTY) });
  else console.log(`spans exported (${telemetry.options.exporter}): ${telemetry.stats.exportedSpans}`);
}
