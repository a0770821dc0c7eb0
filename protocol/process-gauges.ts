/**
 * What a process's thread tells the main thread for metrics and the live view, through
 * memory they share: its heap used (written once a second), the calls it made that timed
 * out, and how long each message it handled took, by callback, in a ring the main thread drains. Made only for a process
 * started while metrics or the live view are on: otherwise a process writes nothing.
 *
 * The ring holds the last 1024 messages; the main thread drains it at least once a second
 * (more often when metrics are collected), so it loses samples only above ~1000 messages a
 * second per process, and counts what it lost.
 */

/** The callbacks a message's handling time is recorded under. */
export const CALLBACKS = ['handle_call', 'handle_cast', 'handle_info'] as const;
export type CallbackIndex = 0 | 1 | 2;

const RING = 1024;
/** Bytes: the write count (Int32), calls timed out (Int32), heap used (Float64), the samples (Float64 each), their callbacks (one byte each). */
const COUNT_AT = 0;
const TIMEOUTS_AT = 4;
const HEAP_AT = 8;
const SAMPLES_AT = 16;
const KINDS_AT = SAMPLES_AT + RING * Float64Array.BYTES_PER_ELEMENT;
const SIZE = KINDS_AT + RING;

/** A new shared buffer for one process. */
export function processGaugesBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(SIZE);
}

/** The buffer's fields, as both sides see them. */
function fieldsOf(buffer: SharedArrayBuffer) {
  return {
    count: new Int32Array(buffer, COUNT_AT, 1),
    timeouts: new Int32Array(buffer, TIMEOUTS_AT, 1),
    heap: new Float64Array(buffer, HEAP_AT, 1),
    samples: new Float64Array(buffer, SAMPLES_AT, RING),
    kinds: new Uint8Array(buffer, KINDS_AT, RING),
  };
}

/** The process's side: records handling times and its heap. */
export class GaugeWriter {
  readonly #fields: ReturnType<typeof fieldsOf>;
  #written = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.#fields = fieldsOf(buffer);
  }

  /** A call this process made timed out. */
  callTimedOut(): void {
    Atomics.add(this.#fields.timeouts, 0, 1);
  }

  handled(callback: CallbackIndex, seconds: number): void {
    const { samples, kinds, count } = this.#fields;
    const slot = (this.#written >>> 0) % RING;
    samples[slot] = seconds;
    kinds[slot] = callback;
    this.#written = (this.#written + 1) | 0;
    // Published after the sample: a reader that sees the count sees the sample.
    Atomics.store(count, 0, this.#written);
  }

  heapUsed(bytes: number): void {
    this.#fields.heap[0] = bytes;
  }
}

/** The main thread's side: reads the heap, drains the handling times. */
export class GaugeReader {
  readonly #fields: ReturnType<typeof fieldsOf>;
  #timeoutsRead = 0;
  #read = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.#fields = fieldsOf(buffer);
  }

  /** Calls the process made that timed out since the last look. */
  takeTimeouts(): number {
    const total = Atomics.load(this.#fields.timeouts, 0);
    const since = (total - this.#timeoutsRead) | 0;
    this.#timeoutsRead = total;
    return since;
  }

  /** Heap used by the process's thread, bytes, as it last wrote (0 before it did). */
  get heapUsed(): number {
    return this.#fields.heap[0]!;
  }

  /** Hands `each` the handling times recorded since the last drain; returns how many were overwritten before they were read. */
  drain(each: (callback: CallbackIndex, seconds: number) => void): number {
    const { count, samples, kinds } = this.#fields;
    const written = Atomics.load(count, 0);
    let pending = (written - this.#read) | 0;
    let lost = 0;
    if (pending > RING) {
      lost = pending - RING;
      this.#read = (written - RING) | 0;
      pending = RING;
    }
    for (let index = 0; index < pending; index++) {
      const slot = ((this.#read + index) >>> 0) % RING;
      each(kinds[slot] as CallbackIndex, samples[slot]!);
    }
    this.#read = written;
    return lost;
  }
}
