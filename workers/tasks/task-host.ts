/**
 * The Piscina worker of every TaskSupervisor. It runs the tasks of the bundles it is given
 * one at a time, in order, so a thread never runs two tasks at once and cancelling the one
 * that runs (by ending the thread) touches no other running task. For each task it claims
 * the task's slot (skipping one cancelled while queued), imports the task's module (once
 * per thread), calls the named export inside the caller's trace context under a
 * `<export>.run` span, and records the result or the error. It never throws: a thrown
 * error travels as a value, with its class, code and cause.
 */
import { types } from 'node:util';
import { MessagePort, threadId, workerData, type TransferListItem } from 'node:worker_threads';
import type * as Piscina from 'piscina';
import { PayloadNotCloneableError, TaskModuleError, toWireError } from '../../errors';
import { SpanKind } from '../../propagation/opentelemetry';
import { envelope, type BundleDoneEnvelope, type TaskHostData, type TaskRequest, type TaskResponse, type ToTaskThread } from '../../protocol/envelopes';
import { takeTransfer } from '../../protocol/move';
import { attachSpans, openTrace } from '../../protocol/stamp';
import { TaskSlots } from '../../protocol/task-slots';
import { setThreadKind } from '../../protocol/thread-kind';
import { ATTR_TASK_EXPORT, ATTR_TASK_ITEMS, ATTR_TASK_MODULE } from '../../telemetry/record/attributes';
import { isPromiseLike, runInSpan } from '../../telemetry/record/run-in-span';
import { findExport, loadModule, type ModuleExports } from '../module-loader';
import { startWorkerTelemetry } from '../worker-telemetry';

type TaskFunction = (...args: unknown[]) => unknown;

/** Modules imported so far; a task of a loaded module starts in the same turn. */
const loadedModules = new Map<string, ModuleExports>();

async function loadTaskModule(modulePath: string): Promise<void> {
  try {
    loadedModules.set(modulePath, await loadModule(modulePath));
  } catch (error) {
    throw TaskModuleError.load(modulePath, error);
  }
}

function taskFunction(modulePath: string, exportName: string, exports: ModuleExports): TaskFunction {
  const candidate = findExport(exports, exportName);
  if (typeof candidate === 'function') return candidate as TaskFunction;
  const found = Object.keys(exports).filter((key) => key !== 'default' && typeof exports[key] === 'function');
  throw TaskModuleError.exportNotFound(modulePath, exportName, found);
}

/** Classes structured clone takes as they are (with their contents checked, where they have any). */
const CLONEABLE_CLASSES = new Set<unknown>([Object.prototype, null, Array.prototype, Date.prototype, RegExp.prototype, Map.prototype, Set.prototype]);
/** Objects looked at, at most, before checking by cloning instead. */
const MAX_CHECKED = 10_000;

/**
 * Whether `value` is surely cloneable without cloning it: plain data (plain objects,
 * arrays, maps, sets, dates, buffers and typed arrays, primitives), and message ports it
 * moves. Anything else (a class instance, a function) is left to a real clone. So a big
 * buffer is not copied once to check it and again to send it.
 */
function surelyCloneable(value: object, transfer: readonly TransferListItem[] | undefined): boolean {
  const seen = new Set<object>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || current === undefined) continue;
    if (typeof current === 'function' || typeof current === 'symbol') return false;
    if (typeof current !== 'object' || seen.has(current)) continue;
    if (seen.size >= MAX_CHECKED) return false;
    seen.add(current);
    if (types.isAnyArrayBuffer(current) || ArrayBuffer.isView(current)) continue;
    if (current instanceof MessagePort) {
      if (transfer?.includes(current)) continue;
      return false;
    }
    if (!CLONEABLE_CLASSES.has(Object.getPrototypeOf(current))) return false;
    if (current instanceof Map) for (const [key, item] of current) pending.push(key, item);
    else if (current instanceof Set || Array.isArray(current)) for (const item of current) pending.push(item);
    else for (const key of Object.keys(current)) pending.push((current as Record<string, unknown>)[key]);
  }
  return true;
}

/** A result the thread cannot post would kill it inside Piscina; check it here instead. */
function assertCloneable(value: unknown, transfer: readonly TransferListItem[] | undefined): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') throw new PayloadNotCloneableError('task result', new TypeError(`${typeof value} could not be cloned`));
    return;
  }
  if (surelyCloneable(value, transfer)) return;
  try {
    structuredClone(value, transfer ? { transfer: [...transfer].filter((item) => item instanceof MessagePort) } : undefined);
  } catch (error) {
    throw new PayloadNotCloneableError('task result', error);
  }
}

const elapsedMicros = (started: number) => Math.round((performance.now() - started) * 1000);

function failed(started: number, error: unknown): Finished {
  return { response: { ok: false, error: toWireError(error), micros: elapsedMicros(started) } };
}

function succeeded(started: number, value: unknown): Finished {
  const transfer = takeTransfer(value);
  try {
    assertCloneable(value, transfer);
  } catch (error) {
    return failed(started, error);
  }
  return { response: { ok: true, value, micros: elapsedMicros(started) }, transfer };
}

function invoke(request: TaskRequest, fn: TaskFunction): unknown {
  const attributes = {
    [ATTR_TASK_MODULE]: request.module,
    [ATTR_TASK_EXPORT]: request.export,
    ...(request.mode === 'map' ? { [ATTR_TASK_ITEMS]: request.args.length } : {}),
  };
  const spanName = `${request.export}.${request.mode === 'map' ? 'map_chunk' : 'run'}`;
  return runInSpan(request.autoSpans, spanName, SpanKind.SERVER, openTrace(request), attributes, () => {
    if (request.mode === 'call') return fn(...request.args);
    return mapItems(fn, request.args);
  });
}

async function mapItems(fn: TaskFunction, items: readonly unknown[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const item of items) results.push(await fn(item));
  return results;
}

/** A task's response, and what of its result moves back (see `move`). */
interface Finished {
  readonly response: TaskResponse;
  readonly transfer?: readonly TransferListItem[] | undefined;
}

/** Runs one task; synchronously when its module is loaded and its function returns a plain value. */
function runOne(request: TaskRequest): Finished | Promise<Finished> {
  const exports = loadedModules.get(request.module);
  if (exports === undefined) {
    return loadTaskModule(request.module).then(
      () => runOne(request),
      (error: unknown) => failed(performance.now(), error),
    );
  }
  const started = performance.now();
  let result: unknown;
  try {
    result = invoke(request, taskFunction(request.module, request.export, exports));
  } catch (error) {
    return failed(started, error);
  }
  if (!isPromiseLike(result)) return succeeded(started, result);
  return Promise.resolve(result).then(
    (value) => succeeded(started, value),
    (error: unknown) => failed(started, error),
  );
}

async function runBundle(tasks: readonly TaskRequest[], slots: TaskSlots): Promise<BundleDoneEnvelope | MovedToPool> {
  const results: Array<TaskResponse | null> = [];
  let transfer: Set<TransferListItem> | undefined;
  for (const request of tasks) {
    if (!slots.start(request.slot, threadId)) {
      results.push(null);
      continue;
    }
    const running = runOne(request);
    const finished = isPromiseLike(running) ? await running : running;
    results.push(finished.response);
    if (finished.transfer) for (const item of finished.transfer) (transfer ??= new Set()).add(item);
    slots.finish(request.slot);
  }
  const done = envelope.bundleDone(results);
  attachSpans(done);
  return transfer ? movedToPool(done, [...transfer]) : done;
}

/** A handler's result Piscina posts with a transfer list (its own type is internal to Piscina). */
type MovedToPool = object;

/**
 * Piscina's way to post a result with a transfer list: its Transferable interface, marked
 * by its `move`. Piscina is loaded here, in a task thread that moves a result, and not with
 * the thread runtime: a GenServer's thread loading it took ~6 ms more to start.
 */
function movedToPool(done: BundleDoneEnvelope, transfer: TransferListItem[]): MovedToPool {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  const piscina = require('piscina') as typeof Piscina;
  return piscina.move({ [piscina.transferableSymbol]: transfer, [piscina.valueSymbol]: done });
}

/** Holds this thread until `count` threads have arrived, so each barrier task takes its own thread. */
function barrier(counter: SharedArrayBuffer, count: number): boolean {
  const cells = new Int32Array(counter);
  Atomics.add(cells, 0, 1);
  Atomics.notify(cells, 0);
  const deadline = Date.now() + BARRIER_TIMEOUT_MS;
  for (let arrived = Atomics.load(cells, 0); arrived < count; arrived = Atomics.load(cells, 0)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return false;
    Atomics.wait(cells, 0, arrived, remaining);
  }
  return true;
}

const BARRIER_TIMEOUT_MS = 30_000;

/**
 * The Piscina handler of a TaskSupervisor's thread (its `workerData` says which). A thread's
 * bundles run one after another.
 */
export function createTaskHandler(): (message: ToTaskThread) => Promise<BundleDoneEnvelope | MovedToPool> | boolean {
  setThreadKind('task');
  const hostData = workerData as TaskHostData;
  const slots = new TaskSlots(hostData.slots);
  startWorkerTelemetry({ threadName: `${hostData.supervisorName}#${threadId}` });
  let previousBundle: Promise<unknown> = Promise.resolve();
  return (message) => {
    if (message.type === 'barrier') return barrier(message.counter, message.threads);
    const bundle = previousBundle.then(() => runBundle(message.tasks, slots));
    previousBundle = bundle;
    return bundle;
  };
}
