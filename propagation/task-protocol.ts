/**
 * The wire protocol between a TaskSupervisor and its Piscina task host: one request per
 * task (or per chunk of a batch), one response. A task names a module and an export,
 * since closures cannot cross threads. The response carries the spans the thread ended
 * while running it, so they arrive with the result.
 */
import type { WireError } from './error-wire';
import type { WireSpan } from './span-wire';
import type { WireContext } from './trace-carrier';

export interface TaskRequest {
  readonly module: string;
  readonly export: string;
  /**
   * `call`: the export called once with `args`. `map`: called once per item of `args`, in
   * order. `barrier`: no export; waits until `args[1]` threads have joined the
   * SharedArrayBuffer counter `args[0]` (warm-up: one barrier task per thread).
   */
  readonly mode: 'call' | 'map' | 'barrier';
  readonly args: readonly unknown[];
  readonly trace: WireContext;
  /** Whether the host records its run span. */
  readonly autoSpans: boolean;
}

export type TaskResponse =
  | { readonly ok: true; readonly value: unknown; spans?: WireSpan[] }
  | { readonly ok: false; readonly error: WireError; spans?: WireSpan[] };

/** What every thread of a TaskSupervisor's pool gets as `workerData`. */
export interface TaskHostData {
  readonly supervisorName: string;
}
