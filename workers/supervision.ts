/**
 * Supervisors started from inside a process: they run in the main thread, as every
 * supervisor does, and belong to the process that started them (its exit stops them, as an
 * OTP supervisor stops on its parent's exit). Their children are named as data, since a
 * child spec's `start` function cannot cross threads.
 */
import type { StopReason } from '../errors';
import type { ChildSpecData, RestartType, ShutdownSpec, SupervisorChildData, SupervisorOptionsData, WorkerChildData } from '../protocol/child-spec-data';
import type { GenServerDefinition, InitArgOf } from '../protocol/gen-server-definition';
import { toFilePath, type ModulePath } from '../protocol/module-path';
import { makePid, type Pid } from '../protocol/pid';
import { runtimeRequest } from './process-api';

/** A worker child (a GenServer), as `workerChild` makes it in the main thread. */
export function workerChild<D extends GenServerDefinition = GenServerDefinition>(
  id: string,
  modulePath: ModulePath,
  initArg: InitArgOf<D>,
  options: WorkerChildData['options'] = {},
): WorkerChildData {
  return { kind: 'worker', id, module: toFilePath(modulePath, 'workerChild(modulePath)'), initArg, options };
}

/** A supervisor child with its own children (default shutdown `infinity`). */
export function supervisorChild(id: string, children: readonly ChildSpecData[], options: SupervisorChildData['options'] = {}): SupervisorChildData {
  return { kind: 'supervisor', id, children, options };
}

/** A child as `whichChildren` lists it. */
export interface ChildRow {
  readonly id: string;
  readonly pid: Pid | 'restarting' | undefined;
  readonly type: 'worker' | 'supervisor';
  /** How often the supervisor restarted it. */
  readonly restarts: number;
}

/** A process's handle on a supervisor (or dynamic supervisor): OTP's supervisor functions, by pid. */
export class SupervisorHandle {
  readonly pid: Pid;

  /** Made by {@link startSupervisor} or {@link startDynamicSupervisor}. */
  constructor(pid: Pid) {
    this.pid = pid;
  }

  #call<R>(operation: string, args: object): Promise<R> {
    return runtimeRequest<R>(operation, 'supervisor_call', { pid: this.pid.pid, ...args });
  }

  /** Adds a child and starts it; resolves with its pid. A dynamic supervisor's child needs no id. */
  async startChild(spec: ChildSpecData | (Omit<ChildSpecData, 'id'> & { id?: string })): Promise<Pid> {
    return makePid(await this.#call<number>('startChild', { op: 'start_child', spec }));
  }

  /** Stops a child: by id, or (a dynamic supervisor's) by pid. */
  terminateChild(child: string | Pid): Promise<void> {
    return this.#call('terminateChild', { op: 'terminate_child', child: typeof child === 'string' ? child : child.pid });
  }

  async restartChild(id: string): Promise<Pid> {
    return makePid(await this.#call<number>('restartChild', { op: 'restart_child', child: id }));
  }

  deleteChild(id: string): Promise<void> {
    return this.#call('deleteChild', { op: 'delete_child', child: id });
  }

  async whichChildren(): Promise<ChildRow[]> {
    const rows = await this.#call<Array<{ id: string; pid: number | 'restarting' | undefined; type: 'worker' | 'supervisor'; restarts: number }>>('whichChildren', { op: 'which_children' });
    return rows.map((row) => ({ ...row, pid: typeof row.pid === 'number' ? makePid(row.pid) : row.pid }));
  }

  countChildren(): Promise<{ specs: number; active: number; supervisors: number; workers: number }> {
    return this.#call('countChildren', { op: 'count_children' });
  }

  /** Stops every child in reverse start order, then the supervisor. */
  stop(reason: StopReason = 'normal', timeoutMs?: number): Promise<void> {
    return this.#call('stop', { op: 'stop', reason, timeoutMs });
  }
}

/** Starts a supervisor with `children`, owned by this process; resolves once every child has started. */
export async function startSupervisor(children: readonly ChildSpecData[], options: SupervisorOptionsData = {}): Promise<SupervisorHandle> {
  return new SupervisorHandle(makePid(await runtimeRequest<number>('startSupervisor', 'supervisor_start', { children, options })));
}

/** Starts a dynamic supervisor (children added at run time), owned by this process. */
export async function startDynamicSupervisor(options: Omit<SupervisorOptionsData, 'strategy'> & { readonly maxChildren?: number } = {}): Promise<SupervisorHandle> {
  return new SupervisorHandle(makePid(await runtimeRequest<number>('startDynamicSupervisor', 'dynamic_supervisor_start', { options })));
}

export type { ChildSpecData, RestartType, ShutdownSpec, SupervisorOptionsData };
