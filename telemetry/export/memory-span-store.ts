import { EXPORT_SUCCESS, type SdkExportResult, type SdkReadableSpan, type SdkSpanExporter } from '../sdk-types';

/**
 * The exporter used when no collector is configured: keeps the most recent finished
 * spans in memory, bounded, so a program can show its traces locally at the end.
 */
export class MemorySpanStore implements SdkSpanExporter {
  readonly #limit: number;
  #spans: SdkReadableSpan[] = [];
  #evicted = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The spans kept, oldest first. */
  get spans(): readonly SdkReadableSpan[] {
    return this.#spans;
  }

  /** Older spans pushed out because more than the limit arrived. */
  get evictedSpans(): number {
    return this.#evicted;
  }

  export(spans: SdkReadableSpan[], resultCallback: (result: SdkExportResult) => void): void {
    this.#spans.push(...spans);
    const excess = this.#spans.length - this.#limit;
    if (excess > 0) {
      this.#spans.splice(0, excess);
      this.#evicted += excess;
    }
    resultCallback({ code: EXPORT_SUCCESS });
  }

  /** Forgets every kept span. */
  clear(): void {
    this.#spans = [];
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
