/**
 * A one-line progress bar for long batches: items done, rate, ETA. Shown only on a
 * terminal and only once the work has run for `showAfterMs`; silent otherwise, so logs
 * and pipes stay clean.
 */
export class ProgressBar {
  readonly #label: string;
  readonly #stream: NodeJS.WriteStream;
  readonly #started = performance.now();
  readonly #showAfterMs: number;
  #shown = false;

  constructor(label: string, stream: NodeJS.WriteStream = process.stdout, showAfterMs = 1000) {
    this.#label = label;
    this.#stream = stream;
    this.#showAfterMs = showAfterMs;
  }

  update(done: number, total: number): void {
    const elapsedMs = performance.now() - this.#started;
    if (!this.#stream.isTTY || elapsedMs < this.#showAfterMs) return;
    this.#shown = true;
    const width = 30;
    const filled = Math.round((done / total) * width);
    const rate = done / (elapsedMs / 1000);
    const etaSeconds = rate > 0 ? (total - done) / rate : Infinity;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    this.#stream.write(`\r${this.#label} ${bar} ${done}/${total}  ${rate.toFixed(0)} items/s  ETA ${etaSeconds.toFixed(1)} s `);
  }

  /** Ends the line if the bar was shown. */
  finish(): void {
    if (this.#shown) this.#stream.write('\n');
  }
}
