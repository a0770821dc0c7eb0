import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ResourceLimits } from 'node:worker_threads';
import { SpanKind, context, type Span } from '@opentelemetry/api';
import { Piscina } from 'piscina';
import {
  PayloadNotCloneableError,
  TaskCancelledError,
  TaskExitError,
  TaskModuleError,
  TaskQueueFullError,
  TaskSupervisorClosedError,
  TaskTimeoutError,
  WorkerOtpError,
  describeValue,
  fromWireError,
  isDataCloneError,
} from '../../errors';
import { envelope, type TaskHostData, type TaskRequest } from '../../protocol/envelopes';
import { tracingOn } from '../../protocol/span-outbox';
import { takeTransfer } from '../../protocol/move';
import { stampTrace } from '../../protocol/stamp';
import { assertNotInWorkerOtpThread } from '../../protocol/thread-kind';
import { TaskSlots } from '../../protocol/task-slots';
import { MAX_TIMER_DELAY_MS, startTimeout, validateTimeout } from '../../protocol/timeouts';
import { ATTR_TASK_EXPORT, ATTR_TASK_MODULE, ATTR_TASK_SUPERVISOR } from '../../telemetry/record/attributes';
import { recordFailure } from '../../telemetry/record/run-in-span';
import { runtimeTracer } from '../../protocol/runtime-tracer';
import { joinAppTelemetry } from '../../runtime/app-telemetry';
import { moduleExists, toFilePath } from '../../protocol/module-path';
import { processTable } from '../../runtime/process-table';
import { threadProcessOptions } from '../../runtime/thread-options';
import { TaskDispatcher, dispatchedPoolOptions } from './task-dispatcher';
import { WaitBounds } from '../../protocol/wait-bounds';
import { streamTasks, type AsyncStreamOptions } from '../../protocol/task-stream';
import { NolinkTask, Task, type TaskArgs, type TaskOutcome, type TaskRef, type TaskResult } from '../../protocol/task';
import { listening, publish, type TaskOutcomeKind } from '../../runtime/diagnostics';
import type { ObservedThread } from '../../runtime/runtime-metrics';
import { ATTR_TASK_OUTCOME, supervisionMetrics, watchPool } from '../supervision-metrics';

const TASK_HOST_PATH = join(__dirname, '..', '..', 'workers', 'task-thread.js');

/** Options of a TaskSupervisor: its Piscina pool's, and how it is named and traced. */
export interface TaskSupervisorOptions {
  /** Names the pool in spans (`thread.name` is `<name>#<threadId>`). Default `task_supervisor`. */
  readonly name?: string;
  /** Threads kept alive. Default: Piscina's (half the cores). */
  readonly minThreads?: number;
  /** Most threads at once, at least 1. Default: 1.5 × the cores, rounded up (Piscina's). */
  readonly maxThreads?: number;
  /** How long an idle thread lives, ms (`Infinity`: for ever). Default: Piscina's. */
  readonly idleTimeout?: number;
  /**
   * Tasks that may wait for a thread beyond those running (`auto`: maxThreads²); past it,
   * `async` throws `TaskQueueFullError`. Default: no limit.
   */
  readonly maxQueue?: number | 'auto';
  /** Heap and stack limits of each thread. */
  readonly resourceLimits?: ResourceLimits;
  /** Records the runtime's spans for tasks (submit and run). Default true. */
  readonly autoSpans?: boolean;
}

/** Options of {@link TaskSupervisor.map}. */
export interface MapOptions {
  /** Items per message. Default: enough for four chunks per thread. */
  readonly chunkSize?: number;
  /** Told after each chunk completes: items done so far, and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * How long the whole map may take, ms; past it, what runs is cancelled and the map
   * rejects with `TaskTimeoutError`. Default `Infinity`: a map is a batch whose length
   * the caller knows best.
   */
  readonly timeoutMs?: number;
  /** Aborting it cancels what runs; the map rejects with a `TaskCancelledError` (`cancelledBy: 'abort_signal'`). */
  readonly signal?: AbortSignal;
}

/** How long `shutdown()` lets submitted tasks finish before cancelling them (OTP's default shutdown). */
export const DEFAULT_TASK_SHUTDOWN_MS = 5000;

/** Task supervisors not shut down, each with its place in the start order (a pid number: Task.Supervisor is a process in OTP). */
const runningPools = new Map<TaskSupervisor, number>();

/** The task supervisors not shut down, with their places in the start order. */
export function runningTaskSupervisors(): ReadonlyMap<TaskSupervisor, number> {
  return runningPools;
}

/** Module paths known to exist: only positive answers, so a module built later is found on the next submit. */
const existingModules = new Set<string>();

function requireModule(modulePath: string): string {
  if (existingModules.has(modulePath)) return modulePath;
  const absolute = toFilePath(modulePath, 'task.module');
  if (!moduleExists(absolute)) throw TaskModuleError.notFound(absolute);
  existingModules.add(absolute);
  return absolute;
}

/**
 * Elixir's `Task.Supervisor` on a Piscina pool. Tasks name an exported function of a
 * module and run on the pool's threads; the context active where a task is started goes
 * with it, so its spans are children of the caller's span without any manual plumbing.
 */
export class TaskSupervisor {
  readonly name: string;
  readonly #pool: Piscina;
  readonly #dispatcher: TaskDispatcher;
  readonly #autoSpans: boolean;
  readonly #maxQueue: number;
  /** Tasks submitted and not settled: running ones plus queued ones. */
  #pending = 0;
  /** Set by the first `shutdown()`: resolves once the pool's threads are gone. */
  #stopped: Promise<void> | undefined;
  readonly #unwatch: () => void;
  #nextTaskId = 1;

  private constructor(name: string, pool: Piscina, dispatcher: TaskDispatcher, autoSpans: boolean, maxQueue: number | 'auto') {
    this.name = name;
    this.#pool = pool;
    this.#dispatcher = dispatcher;
    this.#autoSpans = autoSpans;
    this.#maxQueue = maxQueue === 'auto' ? pool.options.maxThreads ** 2 : maxQueue;
    runningPools.set(this, processTable.registry.allocatePid());
    this.#unwatch = watchPool(this);
    // Its gauges exist from its start (queue depth, its threads' utilisation).
    supervisionMetrics();
  }

  /** Starts the pool. Bad options throw, naming the field. */
  static start(options: TaskSupervisorOptions = {}): TaskSupervisor {
    assertNotInWorkerOtpThread('TaskSupervisor.start');
    if (options === null || typeof options !== 'object') throw new TypeError(`worker-otp task supervisor: options must be an object; got ${describeValue(options)}`);
    const name = options.name ?? 'task_supervisor';
    for (const field of ['minThreads', 'maxThreads'] as const) {
      const value = options[field];
      const least = field === 'maxThreads' ? 1 : 0;
      if (value !== undefined && (!Number.isInteger(value) || value < least)) {
        throw new RangeError(`worker-otp task supervisor: options.${field} must be an integer >= ${least}; got ${describeValue(value)}`);
      }
    }
    if (options.idleTimeout !== undefined) validateTimeout(options.idleTimeout, 'options.idleTimeout');
    const maxQueue = options.maxQueue ?? Infinity;
    if (maxQueue !== 'auto' && maxQueue !== Infinity && (!Number.isInteger(maxQueue) || maxQueue < 0)) {
      throw new RangeError(`worker-otp task supervisor: options.maxQueue must be an integer >= 0 or 'auto'; got ${describeValue(options.maxQueue)}`);
    }
    // Tasks wait in the dispatcher's queue (bounded by maxQueue), not in Piscina's. The
    // maxThreads default is Piscina's, made explicit: it sizes the slot table.
    const maxThreads = Math.max(options.maxThreads ?? Math.ceil(availableParallelism() * 1.5), options.minThreads ?? 1);
    const slots = new TaskSlots(TaskDispatcher.slotCapacity(maxThreads));
    const hostData: TaskHostData = { supervisorName: name, slots: slots.buffer };
    joinAppTelemetry();
    const pool = new Piscina({
      ...threadProcessOptions(),
      filename: TASK_HOST_PATH,
      workerData: hostData,
      maxThreads,
      ...dispatchedPoolOptions(maxThreads),
      ...(options.minThreads !== undefined ? { minThreads: options.minThreads } : {}),
      // Piscina sets a timer with it: past what a timer holds, Node would fire it at once.
      ...(options.idleTimeout !== undefined ? { idleTimeout: Math.min(options.idleTimeout, MAX_TIMER_DELAY_MS) } : {}),
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    });
    return new TaskSupervisor(name, pool, new TaskDispatcher(pool, slots, maxThreads), options.autoSpans ?? true, maxQueue);
  }

  /** Threads the pool has now (started or starting). */
  get threadCount(): number {
    return this.#pool.threads.length;
  }

  /** The most threads the pool runs at once. */
  get maxThreads(): number {
    return this.#pool.options.maxThreads;
  }

  /**
   * What the pool holds now: tasks `queued` for a thread, tasks handed to threads
   * (`running`: the one each busy thread runs, and the next in its bundle), its `threads`,
   * and how many of them are `busy`.
   */
  load(): { readonly queued: number; readonly running: number; readonly threads: number; readonly busy: number } {
    const { queued, inThreads, bundles } = this.#dispatcher.load();
    const threads = this.#pool.threads.length;
    return { queued, running: inThreads, threads, busy: Math.min(bundles, threads) };
  }

  /** @internal Its threads, for the utilisation gauge and the live view. */
  *observedThreads(): Iterable<ObservedThread> {
    for (const thread of this.#pool.threads) yield { name: `${this.name}#${thread.threadId}`, performance: thread.performance, key: thread, heapUsed: () => undefined };
  }

  /**
   * Starts a task (Elixir's `Task.Supervisor.async`): `task`'s export called with `args`
   * on a pool thread. Await it with `task.await(timeoutMs)`. Throws `TaskModuleError` at
   * once for a module that does not exist.
   */
  async<T extends TaskRef>(task: T, ...args: TaskArgs<T>): Task<TaskResult<T>> {
    return this.#start(task, 'call', args) as Task<TaskResult<T>>;
  }

  /**
   * Starts a task whose failure is a value, not a rejection (Elixir's `async_nolink`):
   * `outcome(timeoutMs)` resolves with `{ status: 'ok', value }` or
   * `{ status: 'exit', reason }` (a timeout cancels the task and reports `TaskTimeoutError`).
   */
  asyncNolink<T extends TaskRef>(task: T, ...args: TaskArgs<T>): NolinkTask<TaskResult<T>> {
    return new NolinkTask(this.#start(task, 'call', args) as Task<TaskResult<T>>);
  }

  /**
   * Runs `task` for every item, at most `maxConcurrency` at once (Elixir's
   * `Task.async_stream`), yielding `{ status: 'ok', value }` per item, in input order
   * unless `ordered: false`. A task that fails ends the stream with its error; a timeout
   * does too, unless `onTimeout: 'killTask'`. Leaving the loop early cancels what runs.
   */
  asyncStream<T extends TaskRef>(
    items: Iterable<TaskArgs<T>[0]> | AsyncIterable<TaskArgs<T>[0]>,
    task: T,
    options: AsyncStreamOptions = {},
  ): AsyncGenerator<TaskOutcome<TaskResult<T>>, void, undefined> {
    return streamTasks(items, (item) => this.#start(task, 'call', [item]) as Task<TaskResult<T>>, task.export, this.maxThreads, options);
  }

  /**
   * Applies `task` to every item on all threads, a chunk of items per message so the
   * per-message cost does not eat the speed-up; resolves with the results in order. Each
   * chunk is one `<export>.map_chunk` span (with its item count) under the caller's span.
   */
  async map<T extends TaskRef>(items: readonly TaskArgs<T>[0][], task: T, options: MapOptions = {}): Promise<TaskResult<T>[]> {
    const chunkSize = options.chunkSize ?? Math.max(1, Math.ceil(items.length / (this.maxThreads * 4)));
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`worker-otp task supervisor: options.chunkSize must be an integer >= 1; got ${describeValue(options.chunkSize)}`);
    const label = `${task.export}.map of ${items.length}`;
    const bounds = new WaitBounds({
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      timedOut: () => new TaskTimeoutError(label, options.timeoutMs!),
      aborted: (reason) => TaskCancelledError.byAbortSignal(label, reason),
    });
    const chunks: Array<Task<TaskResult<T>[]>> = [];
    let done = 0;
    try {
      for (let start = 0; start < items.length; start += chunkSize) {
        chunks.push(this.#start(task, 'map', items.slice(start, start + chunkSize), false) as Task<TaskResult<T>[]>);
      }
      const results = chunks.map((chunk) =>
        chunk.await(Infinity).then((results) => {
          done += results.length;
          options.onProgress?.(done, items.length);
          return results;
        }),
      );
      return (await bounds.race(Promise.all(results))).flat();
    } catch (error) {
      // A chunk that failed, a timeout or an abort: what still runs is of no use.
      await Promise.all(chunks.map((chunk) => chunk.shutdown()));
      throw error;
    } finally {
      bounds.dispose();
    }
  }

  /**
   * Resolves once `threads` pool threads (default: all, maxThreads) are up and idle, by
   * holding one barrier task on each until all have started. Use it before measuring, or
   * before work whose parallelism matters: a cold pool starts threads as tasks arrive.
   * Threads above `minThreads` stay only for `idleTimeout`.
   */
  async warmUp(threads = this.maxThreads): Promise<void> {
    if (!Number.isInteger(threads) || threads < 1 || threads > this.maxThreads) {
      throw new RangeError(`worker-otp task supervisor: warmUp(threads) takes an integer from 1 to maxThreads (${this.maxThreads}); got ${describeValue(threads)}`);
    }
    const message = envelope.barrier(new SharedArrayBuffer(4), threads);
    // A signal makes each barrier task abortable, and abortable tasks only go to idle
    // threads: every barrier task lands on a thread of its own.
    const arrivals = Array.from({ length: threads }, () => this.#pool.run(message, { signal: new AbortController().signal }) as Promise<boolean>);
    const responses = await Promise.all(arrivals);
    if (responses.some((arrived) => arrived !== true)) {
      throw new TaskExitError('warmUp', new Error(`not all ${threads} threads started within 30 s`));
    }
  }

  /**
   * Shuts the pool down (Elixir's `Task.Supervisor` stopping): new tasks are refused with
   * `TaskSupervisorClosedError` at once; the submitted ones get `timeoutMs` (default 5000;
   * `Infinity` waits as long as they take) to finish, after which those still queued or
   * running are cancelled, their awaiters told with `TaskCancelledError`
   * (`cancelledBy: 'supervisor_shutdown'`); then the threads end. Calling it again while
   * it runs may shorten the wait; every call resolves when the threads are gone.
   */
  shutdown(timeoutMs = DEFAULT_TASK_SHUTDOWN_MS): Promise<void> {
    validateTimeout(timeoutMs, 'timeoutMs');
    runningPools.delete(this);
    this.#unwatch();
    this.#stopped ??= this.#dispatcher.close().then(() => this.#pool.destroy());
    const cancelAfter = startTimeout(timeoutMs, () => this.#dispatcher.cancelAll((label) => TaskCancelledError.bySupervisorShutdown(label, this.name, timeoutMs)));
    if (cancelAfter) void this.#stopped.then(() => clearTimeout(cancelAfter));
    return this.#stopped;
  }

  #start(task: TaskRef, mode: TaskRequest['mode'], args: readonly unknown[], clientSpan = this.#autoSpans): Task<unknown> {
    if (task === null || typeof task !== 'object' || typeof task.module !== 'string' || typeof task.export !== 'string') {
      throw new TypeError(`worker-otp task supervisor: a task is named with taskRef(modulePath, exportName); got ${describeValue(task)}`);
    }
    const modulePath = requireModule(task.module);
    if (this.#stopped) throw new TaskSupervisorClosedError(this.name);
    if (this.#pending >= this.maxThreads + this.#maxQueue) throw new TaskQueueFullError(this.name, this.#maxQueue);
    const span: Span | undefined = clientSpan && tracingOn()
      ? runtimeTracer().startSpan(
          `${task.export}.submit`,
          { kind: SpanKind.CLIENT, attributes: { [ATTR_TASK_MODULE]: modulePath, [ATTR_TASK_EXPORT]: task.export, [ATTR_TASK_SUPERVISOR]: this.name } },
          context.active(),
        )
      : undefined;
    const request: TaskRequest = {
      module: modulePath,
      export: task.export,
      mode,
      args,
      trace: stampTrace(span).trace,
      autoSpans: this.#autoSpans,
      slot: -1,
    };
    const dispatched = this.#dispatcher.submit(request, takeTransfer(args));
    this.#pending += 1;
    const settled = this.#observeTask(modulePath, task.export);
    const running = dispatched.response.then(
      (response) => {
        this.#pending -= 1;
        settled?.(response.ok ? 'ok' : 'error', response.micros);
        if (!response.ok) throw endSpan(span, fromWireError(response.error));
        span?.end();
        return response.value;
      },
      (error: unknown) => {
        this.#pending -= 1;
        settled?.(error instanceof TaskCancelledError || error instanceof TaskTimeoutError ? 'cancelled' : 'exit', undefined);
        // A cancellation (the first one sticks) is told as it is; the pool's own failures are explained.
        throw endSpan(span, error instanceof WorkerOtpError ? error : this.#explain(task.export, error));
      },
    );
    return new Task(task.export, running, (reason) => dispatched.cancel(reason));
  }

  /**
   * A task's metrics and `diagnostics_channel` messages, when either is on: returns what
   * to call when it settles (with its run time, when it ran), else `undefined`.
   */
  #observeTask(modulePath: string, exportName: string): ((outcome: TaskOutcomeKind, runMicros: number | undefined) => void) | undefined {
    const metrics = supervisionMetrics();
    const announce = listening('taskStart') || listening('taskFinish');
    if (metrics === undefined && !announce) return undefined;
    const id = this.#nextTaskId++;
    const submittedAt = performance.now();
    if (listening('taskStart')) publish('taskStart', { id, supervisor: this.name, module: modulePath, export: exportName });
    return (outcome, runMicros) => {
      const totalMs = performance.now() - submittedAt;
      if (metrics) {
        const pool = { [ATTR_TASK_SUPERVISOR]: this.name };
        metrics.tasks.add(1, { ...pool, [ATTR_TASK_OUTCOME]: outcome });
        if (runMicros !== undefined) {
          metrics.taskRun.record(runMicros / 1e6, pool);
          metrics.taskWait.record(Math.max(0, totalMs / 1000 - runMicros / 1e6), pool);
        }
      }
      if (listening('taskFinish')) publish('taskFinish', { id, supervisor: this.name, export: exportName, outcome, durationMs: totalMs });
    };
  }

  /** Turns the pool's rejections into worker-otp's typed errors. */
  #explain(label: string, error: unknown): Error {
    if (isDataCloneError(error)) return new PayloadNotCloneableError('task arguments', error);
    return new TaskExitError(label, error);
  }
}

/** Ends a task's submit span with its failure; returns the failure, to be thrown. */
function endSpan(span: Span | undefined, error: unknown): unknown {
  if (span) {
    recordFailure(span, error);
    span.end();
  }
  return error;
}
