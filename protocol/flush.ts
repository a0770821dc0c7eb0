/**
 * Flushing spans across threads, the same on every link: the thread above sends a
 * `flush` envelope; the thread below first flushes the threads below it, then answers
 * with `flushed`, its spans riding along. Telemetry plane: a wait never rejects; a peer
 * that does not answer in time is reported through `diag` and given up on.
 */
import { FlushTimeoutError } from '../errors';
import { diag } from '../propagation/opentelemetry';
import { envelope, type FlushEnvelope, type FlushedEnvelope } from './envelopes';
import { threadOutbox } from './span-outbox';
import { startTimeout } from './timeouts';

/** Flush requests this thread sent on one link, each answered by its id or given up after its timeout. */
export class FlushRequests {
  readonly #waiting = new Map<number, () => void>();
  #nextId = 1;

  /**
   * Sends a flush request with `send` and resolves on `acknowledge(id)`, on
   * `settleAll()`, or after `timeoutMs` (warning that `peer` did not answer). A `send`
   * that throws settles at once.
   */
  request(timeoutMs: number, peer: string, send: (request: FlushEnvelope) => void): Promise<void> {
    const id = this.#nextId++;
    return new Promise<void>((resolve) => {
      const settle = () => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve();
      };
      const timer = startTimeout(timeoutMs, () => {
        diag.warn(new FlushTimeoutError(timeoutMs, peer).message);
        settle();
      });
      this.#waiting.set(id, settle);
      try {
        send(envelope.flush(id, timeoutMs));
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

/**
 * Answers a flush request: brings in the spans of the threads below this one, then hands
 * `send` the answer (whose sender attaches this thread's spans).
 */
export async function answerFlush(request: FlushEnvelope, send: (answer: FlushedEnvelope) => void): Promise<void> {
  await threadOutbox()?.flushDownstream(request.timeoutMs);
  send(envelope.flushed(request.id));
}
