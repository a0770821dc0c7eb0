/**
 * What code running inside a worker thread imports from worker-otp: defining a GenServer,
 * the process API (inside a GenServer's callbacks), the error catalogue, and telemetry for
 * workers of your own. It loads no SDK and no pool: a process never needs the main entry.
 */
export { defineGenServer } from './thread-runtime';
export type {
  GenServerDefinition,
  GenServerTypes,
  GenServerCallbacks,
  From,
  InitResult,
  CallResult,
  NoReplyResult,
} from '../protocol/gen-server-definition';
export { self, call, cast, send, reply, sendAfter, link, unlink, trapExits, monitor, demonitor, whereis, registerGlobal, unregisterGlobal, whereisGlobal, stop, kill } from './thread-runtime';
export type { ProcessCallOptions, TimerRef } from './process-api';
export type { ExitMessage, DownMessage, MonitorRef } from '../protocol/system-messages';
export { startGenServer, processHandle, ProcessHandle } from './thread-runtime';
export type { ProcessStartOptions } from './process-handle';
export { startSupervisor, startDynamicSupervisor, workerChild, supervisorChild, SupervisorHandle } from './thread-runtime';
export type { ChildRow } from './supervision';
export type { ChildSpecData, WorkerChildData, SupervisorChildData, SupervisorOptionsData, RestartType, ShutdownSpec } from '../protocol/child-spec-data';
export { groups } from './thread-runtime';
export { taskSupervisor, RemoteTaskSupervisor, taskRef, awaitMany, Task, NolinkTask } from './thread-runtime';
export type { RemoteMapOptions } from './remote-tasks';
export type { TaskRef, TaskArgs, TaskResult, TaskOutcome } from '../protocol/task';
export type { AsyncStreamOptions } from '../protocol/task-stream';
export { makePid, formatPid, move } from './thread-runtime';
export type { Pid, ProcessRef, Address } from '../protocol/pid';
export type { RemoteRef, NodeName, GlobalName } from '../protocol/remote-ref';
export type { RegisteredNames, RegisteredName } from '../protocol/registered-names';
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
  TelemetryAlreadyStartedError,
  TelemetryConflictError,
  FlushTimeoutError,
  ClusterError,
} from './thread-runtime';
export type { ClusterErrorCode, StartErrorCode, SupervisorErrorCode, TaskCancelledBy, TaskModuleErrorCode, ProcessLabel } from '../errors';
export { isNormalExit, describeExitReason } from './thread-runtime';
export type { ExitReason, StopReason } from '../errors';
export { startWorkerTelemetry, tracedEndpoint } from './thread-runtime';
export type { WorkerTelemetry, WorkerTelemetryOptions } from './worker-telemetry';
export type { TracedEndpointOptions, NodeMessageEndpoint, EventEndpoint } from '../protocol/traced-endpoint';
