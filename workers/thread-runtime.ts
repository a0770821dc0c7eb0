/**
 * Everything worker-otp runs inside a worker thread, behind one module: the API that
 * `worker-otp/workers` exports and the entry points of the GenServer and task hosts. The
 * build bundles it into a single file (scripts/bundle.js), so a thread loads one module
 * instead of some thirty: about 5 ms of every thread's start. What must be one per thread
 * lives in `propagation/thread-state.ts`, so the package's own modules, if application code
 * in the thread loads them too, share it.
 */
export { startWorkerTelemetry } from './worker-telemetry';
export { tracedEndpoint } from '../propagation/traced-endpoint';
export { injectTraceCarrier, extractTraceContext } from '../propagation/trace-carrier';
export { defineGenServer } from '../propagation/gen-server-definition';
export { self, call, cast, send, reply, sendAfter } from './process-api';
export { isNormalExit, describeExitReason } from '../propagation/exit-reason';
export { runGenServerHost } from './gen-server-host';
export { createTaskHandler } from './task-host';
