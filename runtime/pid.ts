/**
 * A process identifier. Plain data (`{ pid }`), so it can be put in messages and state and
 * sent to other processes, which use it to call back.
 */
export interface Pid {
  readonly pid: number;
}

/** A process, as the API names it: its pid, or the name it was registered under. */
export type ProcessRef = Pid | string;

export { formatPid } from '../propagation/process-protocol';

/** Makes the pid of process number `pid`. */
export function makePid(pid: number): Pid {
  return Object.freeze({ pid });
}
