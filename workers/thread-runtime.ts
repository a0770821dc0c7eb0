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
export { move } from '../protocol/move';
export { self, call, cast, send, reply, sendAfter, link, unlink, trapExits, monitor, demonitor, whereis, registerGlobal, unregisterGlobal, whereisGlobal, stop, kill } from './process-api';
export { startGenServer, processHandle, ProcessHandle } from './process-handle';
export { startSupervisor, startDynamicSupervisor, workerChild, supervisorChild, SupervisorHandle } from './supervision';
export { groups } from './groups';
export { taskSupervisor, RemoteTaskSupervisor } from './remote-tasks';
export { taskRef, awaitMany, Task, NolinkTask } from '../protocol/task';
// The whole catalogue: workers/index.ts names what the package exports of it.
export * from '../errors';
export { runGenServerHost } from './gen-server/host';
export { createTaskHandler } from './tasks/task-host';
