import { TaskCancelledError, TaskTimeoutError, describeValue } from '../errors';
import { DEFAULT_TASK_TIMEOUT_MS, type Task, type TaskOutcome } from './task';
import { validateTimeout } from './timeouts';
import { WaitBounds } from './wait-bounds';

/** Options of `asyncStream`, as Elixir's `Task.async_stream`. */
export interface AsyncStreamOptions {
  /** Tasks running at once. Default: the pool's maxThreads. */
  readonly maxConcurrency?: number;
  /** Results in input order (default) or as they finish. */
  readonly ordered?: boolean;
  /** How long each task may run, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** On a timeout: `exit` stops the stream with `TaskTimeoutError` (default); `killTask` cancels that task and yields `{ status: 'exit' }` for it. */
  readonly onTimeout?: 'exit' | 'killTask';
  /** Aborting it cancels the running tasks and ends the stream with a `TaskCancelledError` (`cancelledBy: 'abort_signal'`). */
  readonly signal?: AbortSignal;
}

/**
 * Elixir's `Task.async_stream`, over any way to start a task (a pool in the main thread, or
 * one asked for from inside a process): `start` each item, at most `maxConcurrency` at
 * once, and yield their outcomes in input order (or as they finish). A task that fails ends
 * the stream with its error; a timeout does too, unless `onTimeout: 'killTask'`. Leaving
 * the loop early, or an abort, cancels what runs.
 */
export async function* streamTasks<I, R>(
  items: Iterable<I> | AsyncIterable<I>,
  start: (item: I) => Task<R>,
  label: string,
  defaultConcurrency: number,
  options: AsyncStreamOptions,
): AsyncGenerator<TaskOutcome<R>, void, undefined> {
  const maxConcurrency = options.maxConcurrency ?? defaultConcurrency;
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
    throw new RangeError(`worker-otp tasks: options.maxConcurrency must be an integer >= 1; got ${describeValue(options.maxConcurrency)}`);
  }
  const timeoutMs = validateTimeout(options.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS, 'options.timeoutMs');
  const killTask = options.onTimeout === 'killTask';
  const aborts = new WaitBounds({ signal: options.signal, aborted: (reason) => TaskCancelledError.byAbortSignal(`${label} stream`, reason) });
  const ordered = options.ordered ?? true;
  type Running = { readonly task: Task<R>; readonly settled: Promise<{ running: Running; outcome: TaskOutcome<R> | undefined }> };
  const running: Running[] = [];
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (items as Iterable<I>)[Symbol.iterator]();
  let exhausted = false;
  const refill = async () => {
    while (!exhausted && running.length < maxConcurrency) {
      const next = await aborts.race(Promise.resolve(iterator.next()));
      if (next.done) {
        exhausted = true;
        return;
      }
      const started = start(next.value);
      const entry: Running = {
        task: started,
        settled: started.yield(timeoutMs).then((outcome) => ({ running: entry, outcome })),
      };
      running.push(entry);
    }
  };
  try {
    await refill();
    while (running.length > 0) {
      const { running: done, outcome } = await aborts.race(ordered ? running[0]!.settled : Promise.race(running.map((entry) => entry.settled)));
      running.splice(running.indexOf(done), 1);
      if (outcome === undefined) {
        const timeout = new TaskTimeoutError(done.task.label, timeoutMs);
        await done.task.shutdown();
        if (!killTask) throw timeout;
        yield { status: 'exit', reason: timeout };
      } else if (outcome.status === 'exit') {
        throw outcome.reason;
      } else {
        yield outcome;
      }
      await refill();
    }
  } finally {
    aborts.dispose();
    await Promise.all(running.map((entry) => entry.task.shutdown()));
  }
}
