/**
 * Flush requests sent to other threads: each answered by an acknowledgement carrying its
 * id, or given up after its timeout. Telemetry plane: the wait never rejects.
 */
export class FlushRequests {
  readonly #waiting = new Map<number, () => void>();
  #nextId = 1;

  /**
   * Sends a request with `send(id)` and resolves on `acknowledge(id)`, on `settleAll()`, or
   * after `timeoutMs` (calling `onTimeout` first). A `send` that throws settles at once.
   */
  request(timeoutMs: number, send: (id: number) => void, onTimeout: () => void): Promise<void> {
    const id = this.#nextId++;
    return new Promise<void>((resolve) => {
      const settle = () => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve();
      };
      const timer = setTimeout(() => {
        onTimeout();
        settle();
      }, timeoutMs);
      timer.unref();
      this.#waiting.set(id, settle);
      try {
        send(id);
      } catch {
        settle();
      }
    });
  }

  /** The other thread answered request `id`. */
  acknowledge(id: number): void {
    this.#waiting.get(id)?.();
  }

  /** Stops waiting for every request (the other end is gone). */
  settleAll(): void {
    for (const settle of [...this.#waiting.values()]) settle();
  }
}
