/**
 * Calls waiting for their replies, by ref. Refs are handed out in order and most calls are
 * answered soon, so a ring of slots indexed by ref holds them; a call still waiting when
 * the ring comes round to its slot moves to a map. (A Map alone, with ever-increasing
 * keys and as many deletes as inserts, made V8's young-generation collections several
 * times slower under load: pipelined calls ran at two thirds of the rate.)
 */
const RING_SIZE = 1024;
const RING_MASK = RING_SIZE - 1;

export class PendingCalls<T> {
  readonly #refs = new Float64Array(RING_SIZE);
  readonly #values: Array<T | undefined> = new Array<T | undefined>(RING_SIZE).fill(undefined);
  readonly #overflow = new Map<number, T>();
  #nextRef = 1;

  /** Holds `value` under a new ref, returned. */
  add(value: T): number {
    const ref = this.#nextRef++;
    const slot = ref & RING_MASK;
    const waiting = this.#refs[slot]!;
    if (waiting !== 0) this.#overflow.set(waiting, this.#values[slot]!);
    this.#refs[slot] = ref;
    this.#values[slot] = value;
    return ref;
  }

  has(ref: number): boolean {
    return this.#refs[ref & RING_MASK] === ref || this.#overflow.has(ref);
  }

  /** Removes and returns what waits under `ref`, if anything does. */
  take(ref: number): T | undefined {
    const slot = ref & RING_MASK;
    if (this.#refs[slot] === ref) {
      const value = this.#values[slot];
      this.#refs[slot] = 0;
      this.#values[slot] = undefined;
      return value;
    }
    const value = this.#overflow.get(ref);
    if (value !== undefined) this.#overflow.delete(ref);
    return value;
  }

  /** Removes and returns every waiting value that `select` picks. */
  takeWhere(select: (value: T) => boolean): T[] {
    const taken: T[] = [];
    for (let slot = 0; slot < RING_SIZE; slot++) {
      const value = this.#values[slot];
      if (this.#refs[slot] !== 0 && select(value!)) {
        taken.push(value!);
        this.#refs[slot] = 0;
        this.#values[slot] = undefined;
      }
    }
    for (const [ref, value] of this.#overflow) {
      if (select(value)) {
        taken.push(value);
        this.#overflow.delete(ref);
      }
    }
    return taken;
  }
}
