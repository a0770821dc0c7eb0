/**
 * The Piscina worker of every TaskSupervisor: imports the task's module (once per
 * thread), calls the named export inside the caller's trace context under a `<export>.run`
 * span, and answers with the result or the error, plus the spans the thread ended.
 * It never throws: a thrown error travels as a value, with its class, code and cause.
 */
import { pathToFileURL } from 'node:url';
import { threadId, workerData } from 'node:worker_threads';
import { SpanKind } from '@opentelemetry/api';
import { ATTR_TASK_EXPORT, ATTR_TASK_ITEMS, ATTR_TASK_MODULE } from '../propagation/attributes';
import { toWireError } from '../propagation/error-wire';
import { PayloadNotCloneableError, TaskModuleError } from '../propagation/errors';
import { runInSpan } from '../propagation/span-helpers';
import type { TaskHostData, TaskRequest, TaskResponse } from '../propagation/task-protocol';
import { extractTraceContext } from '../propagation/trace-carrier';
import { startWorkerTelemetry } from './worker-telemetry';

const hostData = workerData as TaskHostData;
const relay = startWorkerTelemetry({ threadName: `${hostData.supervisorName}#${threadId}` })?.relay;
const modules = new Map<string, Promise<Record<string, unknown>>>();

type TaskFunction = (...args: unknown[]) => unknown;

async function loadExport(modulePath: string, exportName: string): Promise<TaskFunction> {
  let loading = modules.get(modulePath);
  if (loading === undefined) {
    loading = import(pathToFileURL(modulePath).href) as Promise<Record<string, unknown>>;
    modules.set(modulePath, loading);
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = await loading;
  } catch (error) {
    modules.delete(modulePath);
    throw new TaskModuleError('ERR_TASK_MODULE_LOAD', `could not load ${modulePath}: ${(error as Error).message}`, error);
  }
  // CommonJS modules arrive through import() with their exports on `default` too.
  const candidate = loaded[exportName] ?? (loaded.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof candidate !== 'function') {
    const found = Object.keys(loaded).filter((key) => key !== 'default' && typeof loaded[key] === 'function');
    throw new TaskModuleError(
      'ERR_TASK_EXPORT_NOT_FOUND',
      `${modulePath} has no exported function ${exportName} (found ${found.length ? found.join(', ') : 'none'})`,
    );
  }
  return candidate as TaskFunction;
}

/** A result the thread cannot post would kill it inside Piscina; check it here instead. */
function assertCloneable(value: unknown): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') throw new PayloadNotCloneableError('task result', new TypeError(`${typeof value} could not be cloned`));
    return;
  }
  try {
    structuredClone(value);
  } catch (error) {
    throw new PayloadNotCloneableError('task result', error);
  }
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

export default async function runTask(request: TaskRequest): Promise<TaskResponse> {
  if (request.mode === 'barrier') {
    return { ok: true, value: barrier(request.args[0] as SharedArrayBuffer, request.args[1] as number) };
  }
  let response: TaskResponse;
  try {
    const fn = await loadExport(request.module, request.export);
    const attributes = {
      [ATTR_TASK_MODULE]: request.module,
      [ATTR_TASK_EXPORT]: request.export,
      ...(request.mode === 'map' ? { [ATTR_TASK_ITEMS]: request.args.length } : {}),
    };
    const spanName = `${request.export}.${request.mode === 'map' ? 'map_chunk' : 'run'}`;
    const value = await runInSpan(request.autoSpans, spanName, SpanKind.SERVER, extractTraceContext(request.trace), attributes, async () => {
      if (request.mode === 'call') return fn(...request.args);
      const results: unknown[] = [];
      for (const item of request.args) results.push(await fn(item));
      return results;
    });
    assertCloneable(value);
    response = { ok: true, value };
  } catch (error) {
    response = { ok: false, error: toWireError(error) };
  }
  const spans = relay?.take();
  if (spans) response.spans = spans;
  return response;
}
