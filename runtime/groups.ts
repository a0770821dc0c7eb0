/**
 * Process groups from the main thread (OTP's `pg`): `groups.join('workers', pid)`, then
 * `groups.cast('workers', message)` reaches every member. A process leaves its groups when
 * it exits; inside a process, `groups` from `worker-otp/workers` does the same for itself.
 */
import { MailboxFullError, NoProcessError } from '../errors';
import { takeTransfer } from '../protocol/move';
import type { Pid, ProcessRef } from '../protocol/pid';
import { cast, send } from './client';
import { processTable } from './process-table';

/**
 * Sends `message` to every member of `group` (a cast or a plain message); returns the
 * members it reached. A member that exits meanwhile, or whose mailbox is full, is passed
 * over; a message that cannot be cloned throws at the first. Each member gets a copy: a
 * payload marked with `move` is copied all the same, since it cannot move to several.
 */
export function broadcast(group: string, kind: 'cast' | 'info', message: unknown): Pid[] {
  takeTransfer(message);
  const reached: Pid[] = [];
  for (const member of processTable.groups.members(group)) {
    try {
      if (kind === 'cast') cast(member, message);
      else send(member, message);
      reached.push(member);
    } catch (error) {
      if (!(error instanceof NoProcessError || error instanceof MailboxFullError)) throw error;
    }
  }
  return reached;
}

function pidOf(target: ProcessRef): number {
  return processTable.registry.require(target).pid;
}

/** Process groups, from the main thread. */
export const groups = Object.freeze({
  /** Adds a running process to `group` (created as it gets its first member). Throws `NoProcessError`. */
  join(group: string, target: ProcessRef): void {
    processTable.groups.join(group, pidOf(target));
  },
  /** Takes a process out of `group`. */
  leave(group: string, target: ProcessRef): void {
    const pid = typeof target === 'string' ? processTable.registry.whereis(target) : target.pid;
    if (pid !== undefined) processTable.groups.leave(group, pid);
  },
  /** The members of `group`, in the order they joined. */
  members(group: string): Pid[] {
    return processTable.groups.members(group);
  },
  /** The groups that have members. */
  which(): string[] {
    return processTable.groups.groups();
  },
  /** Casts `message` to every member; returns the members reached (see {@link broadcast}). */
  cast(group: string, message: unknown): Pid[] {
    return broadcast(group, 'cast', message);
  },
  /** Sends `message` to every member's `handleInfo`; returns the members reached. */
  send(group: string, message: unknown): Pid[] {
    return broadcast(group, 'info', message);
  },
});

