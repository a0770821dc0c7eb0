/**
 * What kind of worker-otp thread this is, if any: a process's, or a task pool's. The main
 * API (starting processes, supervisors, pools) belongs to the main thread; in a thread of
 * worker-otp's it would make a second process table whose pids collide with the first, so
 * it refuses there. On `globalThis`: a second copy of worker-otp in the thread sees it too.
 */
import { ProcessContextError } from '../errors';

export type ThreadKind = 'process' | 'task';

const KEY = Symbol.for('worker-otp.thread-kind');
const registry = globalThis as { [KEY]?: ThreadKind };

/** Set once by the host that runs the thread. */
export function setThreadKind(kind: ThreadKind): void {
  registry[KEY] = kind;
}

/** Throws `ProcessContextError` when called in a process's or a task's thread. */
export function assertNotInWorkerOtpThread(operation: string): void {
  if (registry[KEY] !== undefined) throw ProcessContextError.mainThreadOnly(operation);
}
