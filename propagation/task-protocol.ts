/**
 * The wire protocol between a TaskSupervisor and its Piscina task host. Tasks queued on
 * the main thread travel in bundles, several per Piscina task, so a short task does not
 * pay a message each way; a thread runs its bundles' tasks one at a time, in order. A task
 * names a module and an export, since closures cannot cross threads. A bundle's response
 * carries the spans the thread ended while running it, so they arrive with the results.
 */
import type { WireError } from './error-wire';
import type { SpanPacket } from './span-packet';
import type { WireContext } from './trace-carrier';

export interface TaskRequest {
  readonly module: string;
  readonly export: string;
  /** `call`: the export called once with `args`. `map`: called once per item of `args`, in order. */
  readonly mode: 'call' | 'map';
  readonly args: readonly unknown[];
  readonly trace: WireContext;
  /** Whether the host records its run span. */
  readonly autoSpans: boolean;
  /** The task's slot in the shared {@link TaskSlots} table, set when it is handed to a thread. */
  slot: number;
}

/** What the Piscina handler is given. */
export type TaskMessage =
  | { readonly kind: 'bundle'; readonly tasks: readonly TaskRequest[] }
  /** Warm-up: holds the thread until `threads` threads have joined the counter. */
  | { readonly kind: 'barrier'; readonly counter: SharedArrayBuffer; readonly threads: number };

/** How one task ended; `micros` is how long it ran, which sizes later bundles. */
export type TaskResponse =
  | { readonly ok: true; readonly value: unknown; readonly micros: number }
  | { readonly ok: false; readonly error: WireError; readonly micros: number };

export interface BundleResponse {
  /** In the bundle's order; `null` for a task cancelled before it started. */
  readonly results: Array<TaskResponse | null>;
  spans?: SpanPacket;
}

/** What every thread of a TaskSupervisor's pool gets as `workerData`. */
export interface TaskHostData {
  readonly supervisorName: string;
  /** The shared {@link TaskSlots} table. */
  readonly slots: SharedArrayBuffer;
}
