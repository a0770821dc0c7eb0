import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { AlwaysOnSampler, BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { TailSamplingSpanProcessor } from 'worker-otp';

// Every failed trace, every trace slower than 2 s, and 1 % of the rest.
const tailSampled = new TailSamplingSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter()), { keepRatio: 0.01, keepSlowerThanMs: 2000 });
new NodeTracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [tailSampled] }).register();
