/** The error catalogue, the wire form errors cross threads in, and exit reasons. */
export { WorkerOtpError, RemoteError } from './worker-otp-error';
export {
  TelemetryAlreadyStartedError,
  TelemetryConflictError,
  FlushTimeoutError,
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
} from './catalogue';
export type { ClusterErrorCode, StartErrorCode, SupervisorErrorCode, TaskCancelledBy, TaskModuleErrorCode } from './catalogue';
export { describeValue, describeProcess, formatPid, messageOf } from './describe';
export type { ProcessLabel } from './describe';
export { toWireError, fromWireError, isDataCloneError } from './error-wire';
export type { WireError } from './error-wire';
export { isNormalExit, describeExitReason, exitReasonFrom, thrownReason, toWireExitReason, fromWireExitReason, NORMAL, SHUTDOWN, KILLED } from './exit-reason';
export type { ExitReason, StopReason, StopDetail, WireExitReason } from './exit-reason';
