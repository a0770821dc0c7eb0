/**
 * What metrics cost a process: with a MeterProvider registered (the SDK's, collected every
 * second, as an application's would be), a GenServer started before it (it reports
 * nothing) against one started after it (it counts what it takes, times each message and
 * writes its heap, for the main thread to read), in turn. Without a provider, processes
 * are all of the first kind: that is the "no cost" case.
 */
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { BenchConfig } from '../config';
import type { Report } from '../report';
import { genServerSubject, oneWayThroughput, pipelined } from '../subjects';
import { alternate, rateCase } from './calls';

export async function metricsCases(report: Report, config: BenchConfig): Promise<void> {
  const plain = await genServerSubject();
  const provider = new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 1000 })],
  });
  metrics.setGlobalMeterProvider(provider);
  const instrumented = await genServerSubject();
  try {
    // Throughput only: a sequential latency here would measure which core each thread landed on (see calls.ts).
    const subjects = [plain, instrumented];
    const [plainRate, instrumentedRate] = await alternate(config.repetitions, subjects, (subject) => pipelined(subject, config.pipelined, config.inFlight));
    const plainPipelined = report.add(rateCase('call.untraced.pipelined (started before the MeterProvider)', 'round trips/s', plainRate!));
    const metricsPipelined = report.add(rateCase('call.metrics.pipelined (started with a MeterProvider)', 'round trips/s', instrumentedRate!));
    report.ratio('call.metrics pipelined / call.untraced (same run)', metricsPipelined, plainPipelined, undefined);
    const [plainCasts, instrumentedCasts] = await alternate(config.repetitions, subjects, (subject) => oneWayThroughput(subject, config.casts));
    const castsBefore = report.add(rateCase('cast.untraced (started before the MeterProvider)', 'casts/s', plainCasts!));
    const castsAfter = report.add(rateCase('cast.metrics (started with a MeterProvider)', 'casts/s', instrumentedCasts!));
    report.ratio('cast.metrics / cast.untraced (same run)', castsAfter, castsBefore, undefined);
  } finally {
    await Promise.all([plain.close(), instrumented.close()]);
    await provider.shutdown();
    metrics.disable();
  }
}
