/**
 * The test's side of the supervised-worker fixture's shared board: start and terminate
 * order across threads, and a wait for restarts that blocks on Atomics, not on sleeps.
 */
type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs?: number) => { async: boolean; value: Promise<string> | string };

export class Board {
  readonly buffer = new SharedArrayBuffer(4 * 66);
  readonly #cells = new Int32Array(this.buffer);

  /** The sequence number of the latest start of the child in `slot` (0: never). */
  startedAt(slot: number): number {
    return Atomics.load(this.#cells, 2 + 2 * slot);
  }

  /** The sequence number of the latest terminate of the child in `slot` (0: never). */
  stoppedAt(slot: number): number {
    return Atomics.load(this.#cells, 3 + 2 * slot);
  }

  /** How many child starts (inits) have happened. */
  get starts(): number {
    return Atomics.load(this.#cells, 1);
  }

  /** Resolves once `count` starts have happened; rejects after `timeoutMs`. */
  async waitForStarts(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
    for (let seen = this.starts; seen < count; seen = this.starts) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`expected ${count} starts, saw ${seen}`);
      const result = waitAsync(this.#cells, 1, seen, remaining);
      if (result.async) await result.value;
    }
  }

  /** An init argument for the child in `slot`. */
  init(id: string, slot: number, extra: { hangInTerminate?: boolean } = {}) {
    return { id, slot, board: this.buffer, ...extra };
  }
}
