/** Supervision: OTP's Supervisor and DynamicSupervisor over GenServer processes. */
export { Supervisor, supervisorChild } from './supervisor';
export type { SupervisorOptions, ChildInfo, ChildCounts } from './supervisor';
export { DynamicSupervisor } from './dynamic-supervisor';
export type { DynamicSupervisorOptions, DynamicChildSpec } from './dynamic-supervisor';
export { workerChild } from './child-spec';
export type { ChildSpec, ChildHandover, ChildType, RestartType, ShutdownSpec, SupervisedChild } from './child-spec';
export type { RestartStrategy } from './restart-strategy';
export { TaskSupervisor, NolinkTask } from './tasks/task-supervisor';
export type { TaskSupervisorOptions, AsyncStreamOptions, MapOptions } from './tasks/task-supervisor';
export { Task, taskRef, awaitMany, DEFAULT_TASK_TIMEOUT_MS } from './tasks/task';
export type { TaskRef, TaskArgs, TaskResult, TaskOutcome } from './tasks/task';
