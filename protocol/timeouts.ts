/** The longest delay `setTimeout` honours; longer ones fire at once (Node clamps to 1 ms). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Checks a timeout given by a caller: a non-negative number of ms, or `Infinity` for no
 * timeout. Control plane: a bad value throws, naming the field.
 */
export function validateTimeout(value: unknown, field: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new RangeError(`worker-otp: ${field} must be a non-negative number of ms, or Infinity; got ${String(value)}`);
  }
  return value;
}

/**
 * Starts an unref'd timer for a finite timeout (clamped to what timers can hold), or
 * none for `Infinity`. Unref'd: a pending timeout alone never keeps a program alive.
 */
export function startTimeout(timeoutMs: number, onTimeout: () => void): NodeJS.Timeout | undefined {
  if (timeoutMs === Infinity) return undefined;
  const timer = setTimeout(onTimeout, Math.min(timeoutMs, MAX_TIMER_DELAY_MS));
  timer.unref();
  return timer;
}
