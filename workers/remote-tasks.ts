/**
 * Tasks from inside a process: a process runs tasks on a task supervisor the main thread
 * started, by its name, with the same API (`async`, `asyncNolink`, `asyncStream`, `map`).
 * The main thread submits them inside this process's trace context, so their spans join
 * its trace; buffers the process moves in, and results, move on without a copy in the main
 * thread. A task ends with the process that started it (OTP links a task to its caller).
 */
import { availableParallelism } from 'node:os';
import { NolinkTask, Task, type TaskArgs, type TaskOutcome, type TaskRef, type TaskResult } from '../protocol/task';
import { streamTasks, type AsyncStreamOptions } from '../protocol/task-stream';
import { runtimeRequest } from './process-api';

/** Ids of the tasks this thread started, for cancelling them. */
let nextTaskId = 1;

/** Options of a remote `map`: the main thread's, less the progress callback. */
export interface RemoteMapOptions {
  readonly chunkSize?: number;
  /** How long the whole map may take, ms (default no limit); past it, what runs is cancelled. */
  readonly timeoutMs?: number;
  /** Aborting it cancels what runs, and the map rejects with `TaskCancelledError`. */
  readonly signal?: AbortSignal;
}

/** A task supervisor of the main thread, as a process uses it. */
export class RemoteTaskSupervisor {
  readonly name: string;

  /** Made by {@link taskSupervisor}. */
  constructor(name: string) {
    this.name = name;
  }

  /** Starts a task (Elixir's `Task.Supervisor.async`); await it with `task.await(timeoutMs)`. */
  async<T extends TaskRef>(task: T, ...args: TaskArgs<T>): Task<TaskResult<T>> {
    const id = nextTaskId++;
    let cancelHere!: (reason: Error) => void;
    const cancelled = new Promise<never>((_, reject) => (cancelHere = reject));
    const running = runtimeRequest<TaskResult<T>>('tasks.async', 'task', { pool: this.name, task, taskArgs: args, id });
    return new Task(task.export, Promise.race([running, cancelled]), (reason) => {
      cancelHere(reason);
      void runtimeRequest('tasks.cancel', 'task_cancel', { id }).catch(() => undefined);
    });
  }

  /** A task whose failure is a value (Elixir's `async_nolink`). */
  asyncNolink<T extends TaskRef>(task: T, ...args: TaskArgs<T>): NolinkTask<TaskResult<T>> {
    return new NolinkTask(this.async(task, ...args));
  }

  /** Elixir's `Task.async_stream` (see the main thread's `asyncStream`); concurrency defaults to the cores. */
  asyncStream<T extends TaskRef>(
    items: Iterable<TaskArgs<T>[0]> | AsyncIterable<TaskArgs<T>[0]>,
    task: T,
    options: AsyncStreamOptions = {},
  ): AsyncGenerator<TaskOutcome<TaskResult<T>>, void, undefined> {
    return streamTasks(items, (item) => this.async(task, ...([item] as TaskArgs<T>)), task.export, availableParallelism(), options);
  }

  /** `task` applied to every item on the pool's threads, a chunk per message; results in order. */
  map<T extends TaskRef>(items: readonly TaskArgs<T>[0][], task: T, options: RemoteMapOptions = {}): Promise<TaskResult<T>[]> {
    const { signal, ...mapOptions } = options;
    const id = nextTaskId++;
    const mapping = runtimeRequest<TaskResult<T>[]>('tasks.map', 'task_map', { pool: this.name, task, items, options: mapOptions, id });
    if (signal === undefined) return mapping;
    const onAbort = () => void runtimeRequest('tasks.cancel', 'task_cancel', { id }).catch(() => undefined);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    return mapping.finally(() => signal.removeEventListener('abort', onAbort));
  }
}

/** The main thread's task supervisor named `name` (one running pool must have that name). */
export function taskSupervisor(name: string): RemoteTaskSupervisor {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('worker-otp tasks: taskSupervisor(name) takes the name the pool was started with');
  return new RemoteTaskSupervisor(name);
}

