import { describeValue } from '../errors';
import { startTimeout, validateTimeout } from './timeouts';

/** What may end a wait early (a timeout, an `AbortSignal`, or both), and the errors it ends with. */
export interface WaitBoundOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly timedOut?: () => Error;
  readonly aborted: (reason: unknown) => Error;
}

/** Checks a caller's `signal` option: an `AbortSignal` (duck-typed: one from another realm works too). */
export function validateSignal(value: unknown, field: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  const signal = value as Partial<AbortSignal> | null;
  if (typeof signal?.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw new TypeError(`worker-otp task supervisor: ${field} must be an AbortSignal; got ${describeValue(value)}`);
  }
  return value as AbortSignal;
}

/**
 * A wait with a deadline and an abort signal: `race` settles with the work, or rejects
 * with `timedOut()` past `timeoutMs`, or with `aborted(reason)` once the signal aborts;
 * a signal aborted already makes the constructor throw that. `dispose` it when the wait is over: it clears the timer and the
 * signal's listener, which a long-lived signal would otherwise keep.
 */
export class WaitBounds {
  readonly #ended: Promise<never>;
  #dispose: () => void = () => {};

  constructor({ timedOut, aborted, ...options }: WaitBoundOptions) {
    const timeoutMs = validateTimeout(options.timeoutMs ?? Infinity, 'options.timeoutMs');
    const signal = validateSignal(options.signal, 'options.signal');
    if (signal?.aborted) throw aborted(signal.reason);
    this.#ended = new Promise<never>((_, reject) => {
      const onAbort = () => reject(aborted(signal!.reason));
      const timer = timedOut && startTimeout(timeoutMs, () => reject(timedOut()));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#dispose = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
    });
    // Only `race` reports it; a wait that ended first leaves it unobserved.
    this.#ended.catch(() => {});
  }

  /** Settles with `work`, unless the wait ended first (or had ended: then that wins even over finished work). */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([this.#ended, work]);
  }

  dispose(): void {
    this.#dispose();
  }
}
