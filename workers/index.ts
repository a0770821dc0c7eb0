/**
 * What code running inside a worker thread imports from worker-otp.
 */
export { startWorkerTelemetry } from './worker-telemetry';
export type { WorkerTelemetry, WorkerTelemetryOptions } from './worker-telemetry';
export { tracedEndpoint } from '../propagation/traced-endpoint';
export type { TracedEndpointOptions } from '../propagation/traced-endpoint';
export { injectTraceCarrier, extractTraceContext } from '../propagation/trace-carrier';
export type { TraceCarrier, WireContext } from '../propagation/trace-carrier';
