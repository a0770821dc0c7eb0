/**
 * What the live view shows, read from the running system: the supervision trees as they
 * are now, every process (pid, name, module, mailbox depth, busy share, heap, restarts),
 * and the task pools. Plain data, sent to the page as JSON.
 */
import type { Worker } from 'node:worker_threads';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { basename } from 'node:path';
import { processTable } from '../runtime/process-table';
import { rootSupervisors, supervisorOf, type Supervisor } from '../supervisor/supervisor';
import { runningTaskSupervisors } from '../supervisor/tasks/task-supervisor';

export interface ChildView {
  readonly id: string;
  readonly type: 'worker' | 'supervisor';
  /** Its pid, or `null` while it is not running (restarting: `restarting` is true). */
  readonly pid: number | null;
  readonly restarting: boolean;
  readonly restarts: number;
  /** A supervisor child's own tree. */
  readonly supervisor?: SupervisorView;
}

export interface SupervisorView {
  readonly name: string;
  readonly pid: number;
  readonly strategy: string;
  readonly children: readonly ChildView[];
}

export interface ProcessView {
  readonly pid: number;
  readonly name: string | null;
  readonly label: string;
  /** The module file's name. */
  readonly module: string;
  /** Messages waiting, when the process counts them (started with a live view or metrics on, or a `maxMailbox`). */
  readonly mailbox: number | null;
  /** Share of the time its thread was busy since the previous snapshot, 0 to 1. */
  readonly busy: number;
  /** Heap used by its thread, bytes, when it reports it. */
  readonly heapUsed: number | null;
  /** How often its supervisor restarted it (`null`: no supervisor runs it). */
  readonly restarts: number | null;
  readonly startedAt: number;
}

export interface PoolView {
  readonly name: string;
  readonly queued: number;
  readonly running: number;
  readonly threads: number;
  readonly busy: number;
  readonly maxThreads: number;
}

export interface SystemSnapshot {
  readonly at: number;
  /** The main thread: its busy share since the previous snapshot, and its heap used. */
  readonly main: { readonly busy: number; readonly heapUsed: number };
  readonly trees: readonly SupervisorView[];
  readonly processes: readonly ProcessView[];
  readonly pools: readonly PoolView[];
}

/** Takes snapshots, each thread's busy share measured since the previous one. */
export class SnapshotTaker {
  readonly #utilisation = new WeakMap<Worker, EventLoopUtilization>();
  #mainBefore: EventLoopUtilization | undefined;

  take(): SystemSnapshot {
    const restarts = new Map<number, number>();
    const trees = rootSupervisors().map((supervisor) => this.#tree(supervisor, restarts, 0));
    const processes = [...processTable.registry.live()].map((record): ProcessView => ({
      pid: record.pid,
      name: record.name ?? null,
      label: record.label,
      module: basename(record.modulePath),
      mailbox: record.mailbox ? record.mailbox.depth() : null,
      busy: this.#busy(record.worker),
      heapUsed: record.gauges && record.gauges.heapUsed > 0 ? record.gauges.heapUsed : null,
      restarts: restarts.get(record.pid) ?? null,
      startedAt: record.startedAt,
    }));
    const pools = [...runningTaskSupervisors().keys()].map((pool): PoolView => ({ name: pool.name, ...pool.load(), maxThreads: pool.maxThreads }));
    const now = performance.eventLoopUtilization();
    const main = { busy: share(this.#mainBefore ? performance.eventLoopUtilization(now, this.#mainBefore).utilization : now.utilization), heapUsed: process.memoryUsage().heapUsed };
    this.#mainBefore = now;
    return { at: Date.now(), main, trees, processes, pools };
  }

  #tree(supervisor: Supervisor, restarts: Map<number, number>, depth: number): SupervisorView {
    const children = supervisor.whichChildren().map((child): ChildView => {
      const pid = typeof child.pid === 'object' ? child.pid.pid : null;
      if (pid !== null) restarts.set(pid, child.restarts);
      const nested = pid !== null && child.type === 'supervisor' && depth < 32 ? supervisorOf(pid) : undefined;
      return {
        id: child.id,
        type: child.type,
        pid,
        restarting: child.pid === 'restarting',
        restarts: child.restarts,
        ...(nested ? { supervisor: this.#tree(nested, restarts, depth + 1) } : {}),
      };
    });
    return { name: supervisor.name, pid: supervisor.pid.pid, strategy: supervisor.strategy, children };
  }

  #busy(worker: Worker): number {
    const now = worker.performance.eventLoopUtilization();
    const before = this.#utilisation.get(worker);
    this.#utilisation.set(worker, now);
    return share(before ? worker.performance.eventLoopUtilization(now, before).utilization : now.utilization);
  }
}

/** A utilisation as a share from 0 to 1 (a difference of two readings can come out a hair below 0). */
function share(utilisation: number): number {
  return Math.min(1, Math.max(0, utilisation));
}
