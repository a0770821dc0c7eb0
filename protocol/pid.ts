import { describeValue, formatPid } from '../errors';
import type { WireProcessRef } from './envelopes';

/**
 * A process identifier. Plain data (`{ pid }`), so it can be put in messages and state and
 * sent to other processes, which use it to call back.
 */
export interface Pid {
  readonly pid: number;
}

/** A process, as the API names it: its pid, or the name it was registered under. */
export type ProcessRef = Pid | string;

/** Makes the pid of process number `pid`. */
export function makePid(pid: number): Pid {
  return Object.freeze({ pid });
}

/** How a message names its target: a pid number or a name. Throws a TypeError for anything else. */
export function wireRef(target: ProcessRef): WireProcessRef {
  if (typeof target === 'string') return target;
  if (target !== null && typeof target === 'object' && Number.isInteger(target.pid)) return target.pid;
  throw new TypeError(`worker-otp: a process is named by its pid ({ pid }) or its registered name; got ${describeValue(target)}`);
}

/** A target as messages and errors show it: `cache`, `<0.3>`. */
export function describeRef(target: ProcessRef | WireProcessRef): string {
  if (typeof target === 'string') return target;
  if (typeof target === 'number') return formatPid(target);
  return target && typeof target === 'object' && 'pid' in target ? formatPid(target.pid) : describeValue(target);
}
