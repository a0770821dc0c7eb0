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
export { self, call, cast, send, reply, sendAfter } from './thread-runtime';
export type { ProcessCallOptions, TimerRef } from './process-api';
export { makePid, formatPid, move } from './thread-runtime';
export type { Pid, ProcessRef } from '../protocol/pid';
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
} from './thread-runtime';
export type { StartErrorCode, SupervisorErrorCode, TaskCancelledBy, TaskModuleErrorCode, ProcessLabel } from '../errors';
export { isNormalExit, describeExitReason } from './thread-runtime';
export type { ExitReason, StopReason } from '../errors';
export { startWorkerTelemetry, tracedEndpoint } from './thread-runtime';
export type { WorkerTelemetry, WorkerTelemetryOptions } from './worker-telemetry';
export type { TracedEndpointOptions, NodeMessageEndpoint, EventEndpoint } from '../protocol/traced-endpoint';
