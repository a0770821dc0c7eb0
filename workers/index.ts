/**
 * What code running inside a worker thread imports from worker-otp.
 */
export { startWorkerTelemetry } from './worker-telemetry';
export type { WorkerTelemetry, WorkerTelemetryOptions } from './worker-telemetry';
export { tracedEndpoint } from '../propagation/traced-endpoint';
export type { TracedEndpointOptions } from '../propagation/traced-endpoint';
export { injectTraceCarrier, extractTraceContext } from '../propagation/trace-carrier';
export type { TraceCarrier, WireContext } from '../propagation/trace-carrier';
export { defineGenServer } from '../propagation/gen-server-definition';
export type {
  GenServerDefinition,
  GenServerCallbacks,
  From,
  InitResult,
  CallResult,
  NoReplyResult,
} from '../propagation/gen-server-definition';
export { self, call, cast, send, reply, sendAfter } from './process-api';
export type { ProcessRef, ProcessCallOptions, TimerRef } from './process-api';
export { isNormalExit, describeExitReason } from '../propagation/exit-reason';
export type { ExitReason, StopReason } from '../propagation/exit-reason';
