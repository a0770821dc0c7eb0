/**
 * A process's mailbox depth, counted across the thread boundary: the main thread (which
 * every message to a process passes through) counts what it sends; the process's thread
 * counts what it takes for handling, in one shared integer only it writes. The depth is
 * the difference. Only for processes with a `maxMailbox`.
 *
 * The main thread reads the shared count only when its own figures say the mailbox may be
 * full: an atomic add on both sides of every message cost pipelined calls ~16 % (the
 * cache line bounced between the cores on each one); this costs one store per message in
 * the process and nearly nothing in the main thread. Counts wrap at 2³² and are compared
 * modulo that, so they never run out.
 */

/** The main thread's side: what was sent, and whether the mailbox has room. */
export class MailboxBound {
  readonly max: number;
  readonly buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  readonly #taken = new Int32Array(this.buffer);
  #sent = 0;
  /** The process's count as last read: the depth is at most `#sent - #takenSeen`. */
  #takenSeen = 0;

  constructor(max: number) {
    this.max = max;
  }

  /** Counts a message in if fewer than `max` wait; says whether it did. */
  tryAdd(): boolean {
    if (((this.#sent - this.#takenSeen) | 0) >= this.max) {
      this.#takenSeen = Atomics.load(this.#taken, 0);
      if (((this.#sent - this.#takenSeen) | 0) >= this.max) return false;
    }
    this.#sent = (this.#sent + 1) | 0;
    return true;
  }

  /** Counts a message in whatever the depth (one that cannot be refused). */
  add(): void {
    this.#sent = (this.#sent + 1) | 0;
  }

  /** Messages sent and not yet taken by the process, now. */
  depth(): number {
    this.#takenSeen = Atomics.load(this.#taken, 0);
    return Math.max(0, (this.#sent - this.#takenSeen) | 0);
  }

  /** Takes back a message counted in and then not sent after all. */
  undo(): void {
    this.#sent = (this.#sent - 1) | 0;
  }
}

/** The process's side: counts each message it takes for handling. */
export class MailboxTakes {
  readonly #taken: Int32Array;
  #count = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.#taken = new Int32Array(buffer);
  }

  took(): void {
    this.#count = (this.#count + 1) | 0;
    Atomics.store(this.#taken, 0, this.#count);
  }
}
