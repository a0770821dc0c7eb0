import { NoProcessError } from '../errors';
import type { WireProcessRef } from '../protocol/envelopes';
import { describeRef, type ProcessRef } from '../protocol/pid';
import { isRemoteRef } from '../protocol/remote-ref';
import type { ProcessRecord } from './process-record';

/**
 * Pids and registered names: which record a pid or a name stands for. A name is held by
 * a running process only; it is free again as soon as that process says it exits.
 */
export class ProcessRegistry {
  readonly #processes = new Map<number, ProcessRecord>();
  readonly #names = new Map<string, number>();
  #nextPid = 1;

  /** Takes the next pid number (supervisors take one too: they are processes). */
  allocatePid(): number {
    return this.#nextPid++;
  }

  /** The pid a name is registered to. */
  whereis(name: string): number | undefined {
    return this.#names.get(name);
  }

  /** Adds a process, with its name registered (the caller checked the name is free). */
  add(record: ProcessRecord): void {
    this.#processes.set(record.pid, record);
    if (record.name !== undefined) this.#names.set(record.name, record.pid);
  }

  /** Frees the process's name, if it still holds it. */
  releaseName(record: ProcessRecord): void {
    if (record.name !== undefined && this.#names.get(record.name) === record.pid) this.#names.delete(record.name);
  }

  /** Forgets a process whose thread is gone. */
  remove(record: ProcessRecord): void {
    this.#processes.delete(record.pid);
    this.releaseName(record);
  }

  /** The record a pid or name stands for, if that process is live and not exiting. */
  resolve(target: ProcessRef | WireProcessRef): ProcessRecord | undefined {
    const record = this.#lookup(target);
    return record && record.exitReason === undefined ? record : undefined;
  }

  /** Like `resolve`, but throws `NoProcessError`. With `exiting`, a process on its way out counts too. */
  require(target: ProcessRef | WireProcessRef, options?: { exiting?: boolean }): ProcessRecord {
    const record = options?.exiting ? this.#lookup(target) : this.resolve(target);
    if (record === undefined) throw new NoProcessError(describeRef(target));
    return record;
  }

  /** The processes not exiting, in start order. */
  *live(): IterableIterator<ProcessRecord> {
    for (const record of this.#processes.values()) if (record.exitReason === undefined) yield record;
  }

  /** The record of a pid, exiting or not, while its thread is there. */
  get(pid: number): ProcessRecord | undefined {
    return this.#processes.get(pid);
  }

  #lookup(target: ProcessRef | WireProcessRef): ProcessRecord | undefined {
    if (isRemoteRef(target)) return undefined;
    const pid = typeof target === 'string' ? this.#names.get(target) : typeof target === 'number' ? target : target?.pid;
    return pid === undefined ? undefined : this.#processes.get(pid);
  }
}
