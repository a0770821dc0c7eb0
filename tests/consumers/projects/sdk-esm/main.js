// An ES module app on the Node SDK with a metric reader, worker-otp added: its instruments
// are recorded into the SDK's reader, and its live view serves the running process.
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AggregationTemporality, InMemoryMetricExporter, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { observe, startGenServer } from 'worker-otp';

const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 600_000 });
const sdk = new NodeSDK({ traceExporter: new InMemorySpanExporter(), metricReaders: [reader] });
sdk.start();

const server = await startGenServer(new URL('./server.js', import.meta.url), 40);
const total = await server.call({ by: 2 });
const view = await observe({ log: false });
const state = await (await fetch(view.url.replace('/?', '/state?'))).json();
await reader.forceFlush();
const names = exporter
  .getMetrics()
  .flatMap((collected) => collected.scopeMetrics.filter((scope) => scope.scope.name === 'worker-otp'))
  .flatMap((scope) => scope.metrics.map((metric) => metric.descriptor.name));
await view.close();
await server.stop();
await sdk.shutdown();
console.log(JSON.stringify({ total, processes: state.processes.length, metrics: [...new Set(names)].sort() }));
