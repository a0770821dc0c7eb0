/** Supervision: OTP's Supervisor and DynamicSupervisor over GenServer processes. */
export { Supervisor, supervisorChild } from './supervisor';
export type { SupervisorOptions, ChildInfo, ChildCounts } from './supervisor';
export { DynamicSupervisor } from './dynamic-supervisor';
export type { DynamicSupervisorOptions, DynamicChildSpec } from './dynamic-supervisor';
export { workerChild } from './child-spec';
export type { ChildSpec, ChildHandover, ChildType, RestartType, ShutdownSpec, SupervisedChild } from './child-spec';
export type { RestartStrategy } from './restart-strategy';
export { TaskSupervisor, DEFAULT_TASK_SHUTDOWN_MS } from './tasks/task-supervisor';
export type { TaskSupervisorOptions, MapOptions } from './tasks/task-supervisor';
export type { AsyncStreamOptions } from '../protocol/task-stream';
export { Task, NolinkTask, taskRef, awaitMany, DEFAULT_TASK_TIMEOUT_MS } from '../protocol/task';
export type { TaskRef, TaskArgs, TaskResult, TaskOutcome } from '../protocol/task';
export { stopAll, stopOnSignals, DEFAULT_STOP_ALL_TIMEOUT_MS } from './graceful-shutdown';
export type { StopAllOptions, StopOnSignalsOptions } from './graceful-shutdown';
