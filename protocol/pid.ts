import { describeValue, formatPid } from '../errors';
import type { WireProcessRef } from './envelopes';
import { isRemoteRef, type RemoteRef } from './remote-ref';

/**
 * A process identifier. Plain data (`{ pid }`), so it can be put in messages and state and
 * sent to other processes, which use it to call back.
 */
export interface Pid {
  readonly pid: number;
}

/** A process, as the API names it: its pid, or the name it was registered under. */
export type ProcessRef = Pid | string;

/** What `call`, `cast` and `send` take: a process of this program, or one on a cluster node. */
export type Address = ProcessRef | RemoteRef;

/** Makes the pid of process number `pid`. */
export function makePid(pid: number): Pid {
  return Object.freeze({ pid });
}

/** How a message names its target: a pid number, a name, or a remote reference as it is. Throws a TypeError for anything else. */
export function wireRef(target: Address): WireProcessRef {
  if (typeof target === 'string') return target;
  if (target !== null && typeof target === 'object' && Number.isInteger((target as Pid).pid)) return (target as Pid).pid;
  if (isRemoteRef(target)) return 'global' in target ? { global: target.global } : { name: target.name, node: target.node };
  throw new TypeError(
    `worker-otp: a process is named by its pid ({ pid }), its registered name, { name, node } or { global: name }; got ${describeValue(target)}`,
  );
}

/** A target as messages and errors show it: `cache`, `<0.3>`, `cache@b`, `global:cache`. */
export function describeRef(target: Address | WireProcessRef): string {
  if (typeof target === 'string') return target;
  if (typeof target === 'number') return formatPid(target);
  if (isRemoteRef(target)) return 'global' in target ? `global:${target.global}` : `${target.name}@${target.node}`;
  return target && typeof target === 'object' && 'pid' in target ? formatPid(target.pid) : describeValue(target);
}
