import { describeValue } from '../errors';
import { SupervisorError } from '../errors';
import type { ExitReason, StopReason } from '../errors/exit-reason';
import type { Pid } from '../protocol/pid';
import type { ChildSpec } from './child-spec';
import { Supervisor, type ChildCounts, type ChildInfo, type SupervisorOptions } from './supervisor';

/** Options of a DynamicSupervisor: a supervisor's, without a strategy (always one_for_one). */
export interface DynamicSupervisorOptions extends Omit<SupervisorOptions, 'strategy'> {
  /** How many children may run at once; `startChild` past it fails. Default: no limit. */
  readonly maxChildren?: number;
}

/** A child started at run time: its id is optional (one is made up). */
export type DynamicChildSpec = Omit<ChildSpec, 'id'> & { readonly id?: string };

/**
 * OTP's DynamicSupervisor: starts with no children, adds them at run time, restarts
 * them one for one within the same intensity rules as a Supervisor. A child that exits
 * and is not restarted is removed.
 */
export class DynamicSupervisor {
  readonly #supervisor: Supervisor;
  #nextId = 1;

  private constructor(supervisor: Supervisor) {
    this.#supervisor = supervisor;
  }

  /** Starts a DynamicSupervisor with no children. */
  static async start(options: DynamicSupervisorOptions = {}): Promise<DynamicSupervisor> {
    const { maxChildren = Infinity, ...supervisorOptions } = options ?? {};
    if (maxChildren !== Infinity && (!Number.isInteger(maxChildren) || maxChildren < 0)) {
      throw new RangeError(`worker-otp supervisor: options.maxChildren must be an integer >= 0; got ${describeValue(maxChildren)}`);
    }
    const supervisor = await Supervisor.startDynamic({ ...supervisorOptions, name: supervisorOptions.name ?? 'dynamic_supervisor' }, maxChildren);
    return new DynamicSupervisor(supervisor);
  }

  get pid(): Pid {
    return this.#supervisor.pid;
  }

  get name(): string {
    return this.#supervisor.name;
  }

  /** Starts a child; resolves with its pid. Fails with `ERR_MAX_CHILDREN` at the limit. */
  async startChild(spec: DynamicChildSpec): Promise<Pid> {
    return this.#supervisor.startChild({ ...spec, id: spec.id ?? `child-${this.#nextId++}` });
  }

  /** Stops the child with this pid and removes it. */
  async terminateChild(pid: Pid): Promise<void> {
    const child = this.#supervisor.whichChildren().find((info) => typeof info.pid === 'object' && info.pid.pid === pid?.pid);
    if (!child) throw SupervisorError.childNotFound(this.name, { pid: pid?.pid });
    await this.#supervisor.terminateChild(child.id);
  }

  whichChildren(): ChildInfo[] {
    return this.#supervisor.whichChildren();
  }

  countChildren(): ChildCounts {
    return this.#supervisor.countChildren();
  }

  get alive(): boolean {
    return this.#supervisor.alive;
  }

  exited(): Promise<ExitReason> {
    return this.#supervisor.exited();
  }

  stop(reason?: StopReason, timeoutMs?: number): Promise<void> {
    return this.#supervisor.stop(reason, timeoutMs);
  }

  kill(): Promise<void> {
    return this.#supervisor.kill();
  }
}
