/**
 * Process groups from inside a process (OTP's `pg`): this process joins and leaves groups
 * by name, lists members, and sends to all of them. The main thread keeps the groups; a
 * process leaves its groups when it exits.
 */
import { makePid, type Pid } from '../protocol/pid';
import { runtimeRequest } from './process-api';

export const groups = Object.freeze({
  /** This process joins `group`. */
  join(group: string): Promise<void> {
    return runtimeRequest('groups.join', 'group_join', { group });
  },
  /** This process leaves `group`. */
  leave(group: string): Promise<void> {
    return runtimeRequest('groups.leave', 'group_leave', { group });
  },
  /** The members of `group`, in the order they joined. */
  async members(group: string): Promise<Pid[]> {
    return (await runtimeRequest<number[]>('groups.members', 'group_members', { group })).map(makePid);
  },
  /** Casts `message` to every member (this one too, if it is in the group); resolves with how many it reached. */
  cast(group: string, message: unknown): Promise<number> {
    return runtimeRequest('groups.cast', 'group_message', { group, kind: 'cast', message });
  },
  /** Sends `message` to every member's `handleInfo`; resolves with how many it reached. */
  send(group: string, message: unknown): Promise<number> {
    return runtimeRequest('groups.send', 'group_message', { group, kind: 'info', message });
  },
});
