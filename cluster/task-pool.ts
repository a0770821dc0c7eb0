/**
 * A task pool that spans nodes: tasks submitted on any node run on whichever member node
 * has a free thread, and their results return to the submitter.
 */
import { DEFAULT_TASK_SHUTDOWN_MS, NolinkTask, type Task, type TaskArgs, type TaskRef, type TaskResult, type TaskSupervisor } from '../supervisor';
import { ClusterError } from '../errors';
import { validateTimeout } from '../protocol/timeouts';
import type { PoolSubmitter } from './pool-submitter';
import type { PoolWorker } from './pool-worker';

/** Options of {@link ClusterNode.taskPool}. */
export interface TaskPoolOptions {
  /**
   * This node's TaskSupervisor, whose threads take the pool's tasks. Without it this node
   * only submits.
   */
  readonly supervisor?: TaskSupervisor;
  /** Tasks this node runs at once. Default: the supervisor's `maxThreads`. */
  readonly concurrency?: number;
  /**
   * Queue tasks in a JetStream work queue: a task outlives the crash of the node running it
   * (it is delivered again, to another node: at-least-once, so a task may run more than
   * once, and its submitter is told once) and the restart of the NATS server. Every
   * member of a pool must agree. Default false.
   */
  readonly durable?: boolean;
  /** Durable: deliveries of a task before it is dropped and its submitter gets `ClusterError` (`ERR_TASK_DELIVERY_LIMIT`). Default 3. */
  readonly deliveryLimit?: number;
  /** Durable: how long after its node went silent a task is delivered again, ms. Default 10000. */
  readonly redeliverAfterMs?: number;
}

/**
 * A pool of the same name on every member node. `async` and `asyncNolink` behave as a
 * `TaskSupervisor`'s (await with a timeout, which cancels the task where it runs;
 * `shutdown` cancels it), with two more ways to fail: `TaskExitError` with `node` set
 * when the node running the task goes down (not durable), and `ClusterError`
 * (`ERR_POOL_CLOSED`) when the pool is closed here (or this node stops) first.
 */
export class ClusterTaskPool {
  readonly name: string;
  readonly #node: string;
  readonly #submitter: PoolSubmitter;
  readonly #worker: PoolWorker | undefined;
  readonly #onClose: () => void;
  #closed: Promise<void> | undefined;

  /** Made by `ClusterNode.taskPool`. */
  constructor(name: string, node: string, submitter: PoolSubmitter, worker: PoolWorker | undefined, onClose: () => void) {
    this.name = name;
    this.#node = node;
    this.#submitter = submitter;
    this.#worker = worker;
    this.#onClose = onClose;
  }

  /** Starts a task on whichever node has a free thread (see `TaskSupervisor.async`). */
  async<T extends TaskRef>(task: T, ...args: TaskArgs<T>): Task<TaskResult<T>> {
    if (this.#closed) throw ClusterError.poolClosed(this.name, this.#node);
    return this.#submitter.submit(task, args) as Task<TaskResult<T>>;
  }

  /** Starts a task whose failure is a value (see `TaskSupervisor.asyncNolink`). */
  asyncNolink<T extends TaskRef>(task: T, ...args: TaskArgs<T>): NolinkTask<TaskResult<T>> {
    return new NolinkTask(this.async(task, ...args));
  }

  /**
   * Leaves the pool on this node: takes no more tasks, gives those running `timeoutMs`
   * (default 5000) to finish, then cancels them (durable ones go back to the queue); tasks
   * this node submitted and that have not finished fail with `ClusterError` (`ERR_POOL_CLOSED`).
   */
  close(timeoutMs = DEFAULT_TASK_SHUTDOWN_MS): Promise<void> {
    validateTimeout(timeoutMs, 'timeoutMs');
    this.#closed ??= (async () => {
      this.#onClose();
      await this.#worker?.close(timeoutMs);
      this.#submitter.close();
    })();
    return this.#closed;
  }

  /** @internal The node running some of this node's tasks went down. */
  nodeDown(node: string): void {
    this.#submitter.nodeDown(node);
  }
}
