/**
 * OTP's restart intensity: at most `maxRestarts` restarts within any `maxSeconds`
 * window. One more, and the supervisor gives up.
 */
export class RestartIntensity {
  readonly maxRestarts: number;
  readonly maxSeconds: number;
  /** Times of the restarts still inside the window, in ms (monotonic). */
  #restarts: number[] = [];

  constructor(maxRestarts: number, maxSeconds: number) {
    this.maxRestarts = maxRestarts;
    this.maxSeconds = maxSeconds;
  }

  /** Counts a restart at `now`; false when it takes the supervisor past its intensity. */
  allow(now: number = performance.now()): boolean {
    const windowStart = now - this.maxSeconds * 1000;
    this.#restarts = this.#restarts.filter((time) => time > windowStart);
    this.#restarts.push(now);
    return this.#restarts.length <= this.maxRestarts;
  }

  /** Restarts within the current window. */
  get recent(): number {
    return this.#restarts.length;
  }
}
