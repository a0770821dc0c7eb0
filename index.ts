/**
 * worker-otp: Erlang/OTP's process model on Node.js worker threads, traced with
 * OpenTelemetry across every thread hop. Main-thread and shared exports; code that runs
 * inside a worker thread imports `worker-otp/workers`.
 */
export { startTelemetry, currentTelemetry, Telemetry } from './runtime/telemetry';
export type { TelemetryStats } from './runtime/telemetry';
export type { TelemetryOptions, ResolvedTelemetryOptions, ExporterChoice } from './runtime/telemetry-options';
export type { ExportStats } from './runtime/export-queue';
export { tracedEndpoint } from './propagation/traced-endpoint';
export type { TracedEndpointOptions, NodeMessageEndpoint } from './propagation/traced-endpoint';
export {
  injectTraceCarrier,
  extractTraceContext,
  UNSAMPLED,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  BAGGAGE_HEADER,
} from './propagation/trace-carrier';
export type { TraceCarrier, WireContext } from './propagation/trace-carrier';
export { SAMPLER_NAMES } from './propagation/sampling';
export type { SamplerConfig, SamplerName } from './propagation/sampling';
export { WorkerOtpError, TelemetryAlreadyStartedError, TelemetryConflictError, FlushTimeoutError } from './propagation/errors';
export { ATTR_THREAD_ID, ATTR_THREAD_NAME } from './propagation/attributes';
