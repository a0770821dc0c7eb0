/**
 * worker-otp: Erlang/OTP's process model on Node.js worker threads, traced with
 * OpenTelemetry across every thread hop. Main-thread and shared exports; code that runs
 * inside a worker thread imports `worker-otp/workers`.
 */
export { startTelemetry, currentTelemetry, Telemetry } from './runtime/telemetry';
export type { TelemetryStats } from './runtime/telemetry';
export { resolveTelemetryOptions } from './runtime/telemetry-options';
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
export {
  startGenServer,
  GenServer,
  call,
  cast,
  send,
  stop,
  kill,
  whereis,
  monitor,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_START_TIMEOUT_MS,
  DEFAULT_STOP_TIMEOUT_MS,
} from './runtime/gen-server';
export type { StartOptions, CallOptions } from './runtime/gen-server';
export type { Pid, ProcessRef } from './runtime/pid';
export { formatPid } from './runtime/pid';
export type { ExitListener } from './runtime/process-table';
export { defineGenServer } from './propagation/gen-server-definition';
export type {
  GenServerDefinition,
  GenServerCallbacks,
  From,
  InitResult,
  CallResult,
  NoReplyResult,
  StateOf,
  CallOf,
  CastOf,
  InfoOf,
  ReplyOf,
  InitArgOf,
} from './propagation/gen-server-definition';
export { isNormalExit, describeExitReason } from './propagation/exit-reason';
export type { ExitReason, StopReason } from './propagation/exit-reason';
export {
  CallTimeoutError,
  NoProcessError,
  ProcessExitError,
  PayloadNotCloneableError,
  NameAlreadyRegisteredError,
  StartError,
  InvalidReturnError,
  UndefinedCallbackError,
  ProcessContextError,
  RemoteError,
} from './propagation/errors';
export type { ProcessLabel } from './propagation/errors';
export {
  Supervisor,
  supervisorChild,
  DynamicSupervisor,
  workerChild,
  TaskSupervisor,
  NolinkTask,
  Task,
  taskRef,
  awaitMany,
  DEFAULT_TASK_TIMEOUT_MS,
} from './supervisor';
export type {
  SupervisorOptions,
  ChildInfo,
  ChildCounts,
  DynamicSupervisorOptions,
  DynamicChildSpec,
  ChildSpec,
  ChildType,
  RestartType,
  ShutdownSpec,
  SupervisedChild,
  RestartStrategy,
  TaskSupervisorOptions,
  AsyncStreamOptions,
  MapOptions,
  TaskRef,
  TaskArgs,
  TaskResult,
  TaskOutcome,
} from './supervisor';
export {
  SupervisorError,
  RestartIntensityError,
  TaskTimeoutError,
  TaskCancelledError,
  TaskExitError,
  TaskQueueFullError,
  TaskModuleError,
} from './propagation/errors';
