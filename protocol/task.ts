import { describeValue } from '../errors';
import { TaskCancelledError, TaskTimeoutError } from '../errors';
import { startTimeout, validateTimeout } from './timeouts';
import { toFilePath, type ModulePath } from './module-path';

/**
 * Names a task: an exported function of a module, since closures cannot cross threads.
 * Make one with {@link taskRef}; its type parameter carries the function's signature, so
 * arguments and results are checked where the task is started.
 */
export interface TaskRef<F extends (...args: any[]) => unknown = (...args: any[]) => unknown> {
  /** The module's absolute path. */
  readonly module: string;
  readonly export: string;
  /** Type-level only: the export's signature. */
  readonly signature?: F;
}

/** The arguments of a task. */
export type TaskArgs<T> = T extends TaskRef<infer F> ? Parameters<F> : never;
/** The result of a task, once awaited. */
export type TaskResult<T> = T extends TaskRef<infer F> ? Awaited<ReturnType<F>> : never;

/**
 * Names `exportName` of the module at `modulePath` as a task. The path is an absolute
 * path, a `file:` URL (string or `URL`), or a path relative to the working directory (see
 * `ModulePath`); it is made absolute here:
 *
 * ```ts
 * const fetchUser = taskRef<typeof Tasks, 'fetchUser'>(require.resolve('./tasks'), 'fetchUser'); // CommonJS
 * const render = taskRef<typeof Tasks, 'render'>(new URL('./tasks.js', import.meta.url), 'render'); // ES module
 * ```
 */
export function taskRef<M, K extends keyof M & string>(
  modulePath: ModulePath,
  exportName: K,
): TaskRef<M[K] extends (...args: any[]) => unknown ? M[K] : never> {
  const module = toFilePath(modulePath, 'taskRef(modulePath)');
  if (typeof exportName !== 'string' || exportName.length === 0) throw new TypeError(`worker-otp task: exportName must be a name; got ${describeValue(exportName)}`);
  return Object.freeze({ module, export: exportName });
}

/**
 * How a task ended, as `asyncNolink`, `yield` and streams report it (Elixir's
 * `{:ok, value}` / `{:exit, reason}`): never thrown.
 */
export type TaskOutcome<R> = { readonly status: 'ok'; readonly value: R } | { readonly status: 'exit'; readonly reason: Error };

/** OTP's default `Task.await` timeout. */
export const DEFAULT_TASK_TIMEOUT_MS = 5000;

/**
 * A running task (Elixir's `%Task{}`): await its result, poll it with `yield`, or cancel
 * it with `shutdown`. Cancelling a task that is running ends its thread; the pool
 * replaces the thread.
 */
export class Task<R> {
  /** `<export>` of the task, for messages. */
  readonly label: string;
  readonly #outcome: Promise<TaskOutcome<R>>;
  readonly #cancel: (reason: Error) => void;
  #settled: TaskOutcome<R> | undefined;

  /** Made by `TaskSupervisor`; not for direct use. */
  constructor(label: string, running: Promise<R>, cancel: (reason: Error) => void) {
    this.label = label;
    this.#cancel = cancel;
    // Settles to a value, never rejects: an awaited failure rethrows, an ignored one is no unhandled rejection.
    this.#outcome = running.then(
      (value) => (this.#settled = { status: 'ok', value }),
      (reason: Error) => (this.#settled = { status: 'exit', reason }),
    );
  }

  /**
   * The task's result (Elixir's `Task.await/2`). Past `timeoutMs` (default 5000; `Infinity`
   * for none) the task is cancelled and this rejects with `TaskTimeoutError`. A task that
   * threw rejects with its error (class, message, stack kept); one that killed its thread
   * with `TaskExitError`.
   */
  async await(timeoutMs = DEFAULT_TASK_TIMEOUT_MS): Promise<R> {
    const outcome = await this.#within(timeoutMs);
    if (outcome === undefined) {
      const timeout = new TaskTimeoutError(this.label, timeoutMs);
      this.#cancel(timeout);
      throw timeout;
    }
    if (outcome.status === 'exit') throw outcome.reason;
    return outcome.value;
  }

  /**
   * The outcome if the task finishes within `timeoutMs`, else `undefined`; the task goes
   * on (Elixir's `Task.yield/2`).
   */
  yield(timeoutMs = DEFAULT_TASK_TIMEOUT_MS): Promise<TaskOutcome<R> | undefined> {
    return this.#within(timeoutMs);
  }

  /**
   * Cancels the task if it has not finished (Elixir's `Task.shutdown/2`); resolves with
   * its outcome if it had, else `undefined`.
   */
  async shutdown(): Promise<TaskOutcome<R> | undefined> {
    if (this.#settled) return this.#settled;
    this.#cancel(TaskCancelledError.byShutdown(this.label));
    await this.#outcome;
    return undefined;
  }

  /** @internal The outcome, never rejecting (asyncNolink and streams use it). */
  outcome(): Promise<TaskOutcome<R>> {
    return this.#outcome;
  }

  #within(timeoutMs: number): Promise<TaskOutcome<R> | undefined> {
    validateTimeout(timeoutMs, 'timeoutMs');
    if (this.#settled) return Promise.resolve(this.#settled);
    return new Promise((resolve) => {
      const timer = startTimeout(timeoutMs, () => resolve(undefined));
      void this.#outcome.then((outcome) => {
        if (timer) clearTimeout(timer);
        resolve(outcome);
      });
    });
  }
}

/**
 * Awaits several tasks (Elixir's `Task.await_many/2`): their results in order. Past
 * `timeoutMs` for the whole set, every unfinished task is cancelled and this rejects with
 * `TaskTimeoutError`; the first failure rejects it too.
 */
export async function awaitMany<const T extends readonly Task<unknown>[]>(
  tasks: T,
  timeoutMs = DEFAULT_TASK_TIMEOUT_MS,
): Promise<{ -readonly [K in keyof T]: T[K] extends Task<infer R> ? R : never }> {
  validateTimeout(timeoutMs, 'timeoutMs');
  const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
  const results: unknown[] = [];
  for (const task of tasks) {
    const remaining = Math.max(0, deadline - performance.now());
    try {
      results.push(await task.await(remaining === Infinity ? Infinity : remaining));
    } catch (error) {
      if (error instanceof TaskTimeoutError) {
        await Promise.all(tasks.map((other) => other.shutdown()));
        throw new TaskTimeoutError(`set of ${tasks.length}`, timeoutMs);
      }
      throw error;
    }
  }
  return results as { -readonly [K in keyof T]: T[K] extends Task<infer R> ? R : never };
}

/** A task started with `asyncNolink`: its failure is a value. */
export class NolinkTask<R> {
  readonly #task: Task<R>;

  /** Made by `TaskSupervisor.asyncNolink`; not for direct use. */
  constructor(task: Task<R>) {
    this.#task = task;
  }

  /** The outcome; past `timeoutMs` the task is cancelled and the outcome is a `TaskTimeoutError` exit. */
  async outcome(timeoutMs = DEFAULT_TASK_TIMEOUT_MS): Promise<TaskOutcome<R>> {
    try {
      return { status: 'ok', value: await this.#task.await(timeoutMs) };
    } catch (reason) {
      return { status: 'exit', reason: reason as Error };
    }
  }

  /** See `Task.yield`. */
  yield(timeoutMs?: number): Promise<TaskOutcome<R> | undefined> {
    return this.#task.yield(timeoutMs);
  }

  /** See `Task.shutdown`. */
  shutdown(): Promise<TaskOutcome<R> | undefined> {
    return this.#task.shutdown();
  }
}

