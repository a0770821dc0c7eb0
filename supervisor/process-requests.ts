/**
 * What a process asks the main thread for about supervision and tasks: starting a
 * supervisor or a dynamic supervisor (owned by the process: it stops when the process
 * exits), operating one by pid, and running tasks on a named task supervisor. Registered
 * with the process table's runtime requests when worker-otp is loaded.
 */
import { NoProcessError, SupervisorError, type StopReason } from '../errors';
import type { ChildSpecData, SupervisorOptionsData } from '../protocol/child-spec-data';
import { move } from '../protocol/move';
import type { ProcessRecord } from '../runtime/process-record';
import { processTable } from '../runtime/process-table';
import { workerChild, type ChildSpec } from './child-spec';
import { DynamicSupervisor } from './dynamic-supervisor';
import { Supervisor, supervisorChild, supervisorOf } from './supervisor';
import type { TaskRef } from '../protocol/task';
import { runningTaskSupervisors, type TaskSupervisor } from './tasks/task-supervisor';

const requests = processTable.requests;
/** Ids for children a process adds without one. */
let nextChildId = 1;

/** The main thread's child spec for the data a process sent. */
function toChildSpec(data: ChildSpecData): ChildSpec {
  if (data.kind === 'supervisor') return supervisorChild(data.id, data.children.map(toChildSpec), data.options ?? {});
  return workerChild(data.id, data.module, data.initArg, data.options ?? {});
}

/** The supervisor lives as long as the process that started it: its exit stops it (OTP: the parent's EXIT). */
function ownedBy(owner: ProcessRecord, supervisor: { exited(): Promise<unknown>; stop(reason: StopReason): Promise<void> }): void {
  const stopIt = () => void supervisor.stop('shutdown').catch(() => undefined);
  owner.monitors.add(stopIt);
  void supervisor.exited().then(() => owner.monitors.delete(stopIt));
}

requests.register('supervisor_start', async (caller, args) => {
  const { children, options } = args as { children: ChildSpecData[]; options?: SupervisorOptionsData };
  const supervisor = await Supervisor.start(children.map(toChildSpec), options ?? {});
  ownedBy(caller, supervisor);
  return supervisor.pid.pid;
});

requests.register('dynamic_supervisor_start', async (caller, args) => {
  const { options } = args as { options?: SupervisorOptionsData & { maxChildren?: number } };
  const { strategy: _strategy, ...dynamicOptions } = options ?? {};
  const supervisor = await DynamicSupervisor.start(dynamicOptions);
  ownedBy(caller, supervisor);
  return supervisor.pid.pid;
});

/** A row of `whichChildren` as it crosses to the process: pids as numbers. */
function childRow(row: ReturnType<Supervisor['whichChildren']>[number]): { id: string; pid: number | 'restarting' | undefined; type: string; restarts: number } {
  return { id: row.id, pid: typeof row.pid === 'object' ? row.pid.pid : row.pid, type: row.type, restarts: row.restarts };
}

requests.register('supervisor_call', async (_caller, args) => {
  const { pid, op, child, spec, reason, timeoutMs } = args as {
    pid: number;
    op: 'start_child' | 'terminate_child' | 'restart_child' | 'delete_child' | 'which_children' | 'count_children' | 'stop';
    child?: string | number;
    spec?: Omit<ChildSpecData, 'id'> & { id?: string };
    reason?: StopReason;
    timeoutMs?: number;
  };
  const supervisor = supervisorOf(pid);
  if (supervisor === undefined) throw new NoProcessError(`<0.${pid}>`);
  switch (op) {
    case 'start_child':
      return (await supervisor.startChild(toChildSpec({ ...spec!, id: spec!.id ?? `child-${nextChildId++}` } as ChildSpecData))).pid;
    case 'terminate_child': {
      // By id, or (a dynamic supervisor's child) by pid.
      const id = typeof child === 'number' ? supervisor.whichChildren().find((row) => typeof row.pid === 'object' && row.pid.pid === child)?.id : child;
      if (id === undefined) throw SupervisorError.childNotFound(supervisor.name, { pid: child as number });
      return supervisor.terminateChild(id);
    }
    case 'restart_child':
      return (await supervisor.restartChild(child as string)).pid;
    case 'delete_child':
      return supervisor.deleteChild(child as string);
    case 'which_children':
      return supervisor.whichChildren().map(childRow);
    case 'count_children':
      return supervisor.countChildren();
    case 'stop':
      return supervisor.stop(reason, timeoutMs);
  }
});

/** The running task supervisor named `name`; one name, one pool. */
function poolNamed(name: string): TaskSupervisor {
  const pools = [...runningTaskSupervisors().keys()].filter((pool) => pool.name === name);
  if (pools.length === 0) throw new NoProcessError(name);
  if (pools.length > 1) throw new TypeError(`worker-otp tasks: ${pools.length} task supervisors named ${name} run; a process names a pool by a name only one has`);
  return pools[0]!;
}

/** How to cancel what each process runs on pools (tasks, maps), by the id it gave them: on request, or when it exits. */
const cancelsOf = new WeakMap<ProcessRecord, Map<number, () => unknown>>();

/** Runs `work` for `caller` under `id`, cancellable with `cancel` until it settles. */
async function tracked<R>(caller: ProcessRecord, id: number, cancel: () => unknown, work: Promise<R>): Promise<R> {
  let running = cancelsOf.get(caller);
  if (running === undefined) {
    cancelsOf.set(caller, (running = new Map()));
    // OTP: a task is linked to its caller; the caller's exit ends it.
    caller.monitors.add(() => {
      for (const cancelIt of running!.values()) cancelIt();
    });
  }
  running.set(id, cancel);
  try {
    return await work;
  } finally {
    running.delete(id);
  }
}

/**
 * What passes through the main thread on its way between a process and a pool thread moves
 * on: the main thread keeps nothing of it, so its buffers need not be copied again (moved
 * in or not).
 */
function movedOn<T>(value: T): T {
  return value !== null && typeof value === 'object' ? move(value) : value;
}

requests.register('task', async (caller, args) => {
  const { pool, task, taskArgs, id } = args as { pool: string; task: TaskRef; taskArgs: unknown[]; id: number };
  const started = poolNamed(pool).async(task, ...taskArgs.map(movedOn));
  return movedOn(await tracked(caller, id, () => started.shutdown(), started.await(Infinity)));
});

requests.register('task_cancel', (caller, args) => {
  cancelsOf.get(caller)?.get((args as { id: number }).id)?.();
});

requests.register('task_map', async (caller, args) => {
  const { pool, task, items, options, id } = args as { pool: string; task: TaskRef; items: unknown[]; options?: { chunkSize?: number; timeoutMs?: number }; id: number };
  const abort = new AbortController();
  const mapping = poolNamed(pool).map(items.map(movedOn), task, { ...options, signal: abort.signal });
  return movedOn(await tracked(caller, id, () => abort.abort(new Error('cancelled by the process')), mapping));
});
