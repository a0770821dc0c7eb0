/**
 * The table a TaskSupervisor shares with its threads (a SharedArrayBuffer in `workerData`)
 * so both sides agree, without a message, whether a task handed to a thread has started.
 * A thread holds a few tasks queued ahead of the one it runs; cancelling one of those must
 * not cost the thread, while stopping a running one has to end it. Each slot is two Int32
 * cells: the task's state, and the id of the thread that started it.
 */

/** Handed to a thread, not started. */
export const SLOT_QUEUED = 1;
/** Started by the thread named in the slot. */
export const SLOT_RUNNING = 2;
/** Finished; its result is on its way. */
export const SLOT_DONE = 3;
/** Cancelled before it started: the thread skips it. */
export const SLOT_CANCELLED = 4;

const CELLS_PER_SLOT = 2;

export class TaskSlots {
  readonly buffer: SharedArrayBuffer;
  readonly #cells: Int32Array;

  /** A new table of `capacity` slots (main thread), or a view of one shared by it (threads). */
  constructor(source: number | SharedArrayBuffer) {
    this.buffer = typeof source === 'number' ? new SharedArrayBuffer(source * CELLS_PER_SLOT * Int32Array.BYTES_PER_ELEMENT) : source;
    this.#cells = new Int32Array(this.buffer);
  }

  get capacity(): number {
    return this.#cells.length / CELLS_PER_SLOT;
  }

  /** Main thread: the task in `slot` is about to be handed to a thread. */
  queue(slot: number): void {
    Atomics.store(this.#cells, slot * CELLS_PER_SLOT, SLOT_QUEUED);
  }

  /** Main thread: cancels the task if no thread has started it; true if it was cancelled. */
  cancelIfQueued(slot: number): boolean {
    return Atomics.compareExchange(this.#cells, slot * CELLS_PER_SLOT, SLOT_QUEUED, SLOT_CANCELLED) === SLOT_QUEUED;
  }

  state(slot: number): number {
    return Atomics.load(this.#cells, slot * CELLS_PER_SLOT);
  }

  /** The thread that started the task in `slot`. */
  runner(slot: number): number {
    return Atomics.load(this.#cells, slot * CELLS_PER_SLOT + 1);
  }

  /** Thread: claims the task unless it was cancelled; false means skip it. */
  start(slot: number, threadId: number): boolean {
    Atomics.store(this.#cells, slot * CELLS_PER_SLOT + 1, threadId);
    return Atomics.compareExchange(this.#cells, slot * CELLS_PER_SLOT, SLOT_QUEUED, SLOT_RUNNING) === SLOT_QUEUED;
  }

  /** Thread: the task has finished. */
  finish(slot: number): void {
    Atomics.store(this.#cells, slot * CELLS_PER_SLOT, SLOT_DONE);
  }
}
