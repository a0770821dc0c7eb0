// The Node SDK with a metric reader: worker-otp's instruments are recorded into it
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { observe } from 'worker-otp';

new NodeSDK({ metricReaders: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })] }).start();

export async function watch(): Promise<void> {
  // Prints http://127.0.0.1:<port>/?token=<random>: this machine only, and only with the token
  const view = await observe();
  process.once('SIGINT', () => void view.close());
}
