/**
 * What code running inside a worker thread imports from worker-otp.
 */
export { startWorkerTelemetry } from './thread-runtime';
export type { WorkerTelemetry, WorkerTelemetryOptions } from './worker-telemetry';
export { tracedEndpoint } from './thread-runtime';
export type { TracedEndpointOptions } from '../propagation/traced-endpoint';
export { injectTraceCarrier, extractTraceContext } from './thread-runtime';
export type { TraceCarrier, WireContext } from '../propagation/trace-carrier';
export { defineGenServer } from './thread-runtime';
export type {
  GenServerDefinition,
  GenServerCallbacks,
  From,
  InitResult,
  CallResult,
  NoReplyResult,
} from '../propagation/gen-server-definition';
export { self, call, cast, send, reply, sendAfter } from './thread-runtime';
export type { ProcessRef, ProcessCallOptions, TimerRef } from './process-api';
export { isNormalExit, describeExitReason } from './thread-runtime';
export type { ExitReason, StopReason } from '../propagation/exit-reason';
