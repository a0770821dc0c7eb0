/**
 * worker-otp: Erlang/OTP's process model on Node.js worker threads, traced with
 * OpenTelemetry across every thread hop. The main thread's API; code that runs inside a
 * worker thread imports `worker-otp/workers`.
 *
 * Naming rule for lifecycle verbs: `start…` creates a process or a resource
 * (`startGenServer`, `Supervisor.start`, `TaskSupervisor.start`, `startTelemetry`); a
 * process ends with `stop(reason)` (its `terminate` runs; OTP's exit reasons) or `kill()`;
 * a resource that is not a process (a task pool, telemetry) ends with `shutdown()`, which
 * finishes what it holds first. Every ending is idempotent and resolves once it is done.
 */
import { joinAppTelemetry } from './runtime/app-telemetry';
// What processes may ask the main thread for (starting processes, links, monitors, groups;
// supervisors and tasks): registered as worker-otp loads.
import './runtime/process-requests';
import './supervisor/process-requests';
// Metrics and diagnostics_channel messages of process starts, exits and timeouts.
import './runtime/process-events';

export {
  startGenServer,
  DEFAULT_START_TIMEOUT_MS,
} from './runtime/start-gen-server';
export type { StartOptions } from './runtime/start-gen-server';
export { GenServer } from './runtime/gen-server';
export { call, cast, send, stop, kill, whereis, monitor, DEFAULT_CALL_TIMEOUT_MS, DEFAULT_STOP_TIMEOUT_MS } from './runtime/client';
export type { CallOptions } from './runtime/client';
export type { ExitListener } from './runtime/process-record';
export { defineGenServer } from './protocol/gen-server-definition';
export type {
  GenServerDefinition,
  GenServerTypes,
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
} from './protocol/gen-server-definition';
export { makePid } from './protocol/pid';
export { move } from './protocol/move';
export type { Pid, ProcessRef, Address } from './protocol/pid';
export type { RemoteRef, NodeName, GlobalName } from './protocol/remote-ref';
export type { RegisteredNames, RegisteredName } from './protocol/registered-names';
export type { ExitMessage, DownMessage, MonitorRef } from './protocol/system-messages';
export { groups } from './runtime/groups';
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
  DEFAULT_TASK_SHUTDOWN_MS,
  stopAll,
  stopOnSignals,
  DEFAULT_STOP_ALL_TIMEOUT_MS,
} from './supervisor';
export type {
  SupervisorOptions,
  ChildInfo,
  ChildCounts,
  DynamicSupervisorOptions,
  DynamicChildSpec,
  ChildSpec,
  ChildHandover,
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
  StopAllOptions,
  StopOnSignalsOptions,
} from './supervisor';
export { startTelemetry, currentTelemetry, Telemetry } from './runtime/telemetry';
export type { TelemetryStats } from './runtime/telemetry';
export type { TelemetryOptions, ResolvedTelemetryOptions, ExporterChoice } from './runtime/telemetry-options';
export type { ExportStats } from './telemetry/export/export-stats';
export type {
  SdkReadableSpan as FinishedSpan,
  SdkSpanExporter as SpanExporterLike,
  SdkSpanProcessor as SpanProcessorLike,
  SdkResource as ResourceLike,
} from './telemetry/sdk-types';
export { SAMPLER_NAMES } from './telemetry/record/sampling';
export type { SamplerConfig, SamplerName } from './telemetry/record/sampling';
export { ATTR_THREAD_ID, ATTR_THREAD_NAME } from './telemetry/record/attributes';
export { tracedEndpoint } from './runtime/traced-endpoint';
export type { TracedEndpointOptions, NodeMessageEndpoint, EventEndpoint } from './protocol/traced-endpoint';
export {
  WorkerOtpError,
  RemoteError,
  CallTimeoutError,
  NoProcessError,
  ProcessExitError,
  PayloadNotCloneableError,
  MailboxFullError,
  NameAlreadyRegisteredError,
  StartError,
  InvalidReturnError,
  UndefinedCallbackError,
  ProcessContextError,
  SupervisorError,
  RestartIntensityError,
  TaskTimeoutError,
  TaskCancelledError,
  TaskSupervisorClosedError,
  TaskExitError,
  TaskQueueFullError,
  TaskModuleError,
  ClusterError,
  TelemetryAlreadyStartedError,
  TelemetryConflictError,
  FlushTimeoutError,
  isNormalExit,
  describeExitReason,
  formatPid,
} from './errors';
export type { ExitReason, StopReason, StopDetail, ProcessLabel, ClusterErrorCode, StartErrorCode, SupervisorErrorCode, TaskCancelledBy, TaskModuleErrorCode } from './errors';
export { observe } from './observer';
export type { ObserveOptions, LiveView, ObservedState, SystemSnapshot, SupervisorView, ChildView, ProcessView, PoolView, FeedEvent } from './observer';
export { CHANNELS as DIAGNOSTICS_CHANNELS } from './runtime/diagnostics';
export type { ProcessStartMessage, ProcessExitMessage, SupervisorRestartMessage, TaskStartMessage, TaskFinishMessage, TaskOutcomeKind } from './runtime/diagnostics';
export { WorkerSpanProcessor } from './telemetry/bridge/worker-span-processor';
export { TailSamplingSpanProcessor } from './telemetry/export/tail-sampling-processor';
export type { TailSamplingOptions, TailSamplingStats } from './telemetry/export/tail-decisions';

// An application whose OpenTelemetry is set up before it loads worker-otp (a preload, a
// tracing module imported first) is joined now; otherwise at the first process or pool.
joinAppTelemetry();
