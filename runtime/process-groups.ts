import { describeValue } from '../errors';
import { makePid, type Pid } from '../protocol/pid';

/**
 * Process groups (OTP's `pg`): named sets of processes, for messages to all of them. A
 * process joins and leaves by group name; it leaves every group when it exits. A group
 * exists while it has members; members are listed in the order they joined.
 */
export class ProcessGroups {
  readonly #members = new Map<string, Set<number>>();
  readonly #groupsOf = new Map<number, Set<string>>();

  join(group: string, pid: number): void {
    validateGroup(group);
    let members = this.#members.get(group);
    if (members === undefined) this.#members.set(group, (members = new Set()));
    members.add(pid);
    let groups = this.#groupsOf.get(pid);
    if (groups === undefined) this.#groupsOf.set(pid, (groups = new Set()));
    groups.add(group);
  }

  leave(group: string, pid: number): void {
    validateGroup(group);
    const members = this.#members.get(group);
    members?.delete(pid);
    if (members?.size === 0) this.#members.delete(group);
    const groups = this.#groupsOf.get(pid);
    groups?.delete(group);
    if (groups?.size === 0) this.#groupsOf.delete(pid);
  }

  /** The group's members, in the order they joined; none for a group nobody is in. */
  members(group: string): Pid[] {
    validateGroup(group);
    return [...(this.#members.get(group) ?? [])].map(makePid);
  }

  /** The groups that have members. */
  groups(): string[] {
    return [...this.#members.keys()];
  }

  /** A process exited: it leaves every group it was in. */
  exited(pid: number): void {
    for (const group of this.#groupsOf.get(pid) ?? []) this.leave(group, pid);
  }
}

function validateGroup(group: unknown): asserts group is string {
  if (typeof group !== 'string' || group.length === 0) throw new TypeError(`worker-otp groups: a group is named by a non-empty string; got ${describeValue(group)}`);
}
