/**
 * Everything worker-otp runs inside a worker thread, behind one module: the API that
 * `worker-otp/workers` exports and the entry points of the GenServer and task hosts. The
 * build bundles it into a single file (scripts/bundle.js), so a thread loads one module
 * instead of some thirty: about 5 ms of every thread's start. What must be one per thread
 * (the span outbox, the runtime tracer, the process runtime) lives on `globalThis` under
 * registered symbols, so the package's own modules, if application code in the thread
 * loads them too, share it.
 */
export { startWorkerTelemetry } from './worker-telemetry';
export { tracedEndpoint } from '../protocol/traced-endpoint';
export { defineGenServer } from '../protocol/gen-server-definition';
export { makePid } from '../protocol/pid';
export { self, call, cast, send, reply, sendAfter } from './process-api';
export {
  WorkerOtpError,
  RemoteError,
  CallTimeoutError,
  NoProcessError,
  ProcessExitError,
  PayloadNotCloneableError,
  NameAlreadyRegisteredError,
  StartError,
  InvalidReturnError,
  UndefinedCallbackError,
  ProcessContextError,
  SupervisorError,
  RestartIntensityError,
  TaskTimeoutError,
  TaskCancelledError,
  TaskExitError,
  TaskQueueFullError,
  TaskModuleError,
  TelemetryAlreadyStartedError,
  TelemetryConflictError,
  FlushTimeoutError,
  isNormalExit,
  describeExitReason,
  formatPid,
} from '../errors';
export { runGenServerHost } from './gen-server/host';
export { createTaskHandler } from './tasks/task-host';
