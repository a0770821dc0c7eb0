import { startGenServer, startTelemetry } from '../../index';
import { startCollector } from '../collector';
import type { BenchConfig } from '../config';
import type EchoServer from '../fixtures/echo-server';
import type { Report } from '../report';
import { summarize } from '../stats';
import { fixture, pipelined } from '../subjects';

type Mode = 'healthy' | 'down' | 'slow';

/**
 * Traced call throughput while the collector is healthy, down, or answering after a
 * second: the application should lose no more than the exporter's own work.
 */
export async function collectorFaultCases(report: Report, config: BenchConfig): Promise<void> {
  const healthy = await startCollector();
  const slow = await startCollector({ delayMs: 1000 });
  const gone = await startCollector();
  const downUrl = gone.url;
  await gone.close();
  const endpoints: Record<Mode, string> = { healthy: healthy.url, down: downUrl, slow: slow.url };
  const rates: Record<Mode, number[]> = { healthy: [], down: [], slow: [] };
  const modes: Mode[] = ['healthy', 'down', 'slow'];
  try {
    for (let repetition = 0; repetition <= config.repetitions; repetition++) {
      for (const mode of repetition % 2 === 0 ? modes : [...modes].reverse()) {
        const telemetry = startTelemetry({ endpoint: endpoints[mode], env: {}, exportTimeoutMs: 2000, serviceName: 'worker-otp-bench' });
        const server = await startGenServer<typeof EchoServer>(fixture('echo-server'), undefined);
        try {
          const rate = await pipelined({ request: (value) => server.call({ type: 'echo', value }), oneWay: () => {}, received: async () => 0, close: async () => {} }, config.pipelined, config.inFlight);
          // The first repetition warms up.
          if (repetition > 0) rates[mode].push(rate);
        } finally {
          await server.kill();
          await telemetry.shutdown();
        }
      }
    }
  } finally {
    await Promise.all([healthy.close(), slow.close()]);
  }
  const cases = Object.fromEntries(
    modes.map((mode) => [mode, report.add({ id: `collector.${mode}`, unit: 'traced round trips/s', ...summarize(rates[mode]) })]),
  ) as Record<Mode, ReturnType<Report['add']>>;
  report.ratio('collector down / healthy', cases.down, cases.healthy, '>= 0.9');
  report.ratio('collector slow / healthy', cases.slow, cases.healthy, '>= 0.9');
}
