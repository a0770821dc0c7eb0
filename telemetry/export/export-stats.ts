/** What the export queue has done so far. */
export interface ExportStats {
  /** Spans the exporter accepted. */
  readonly exportedSpans: number;
  /** Spans dropped because the queue was full (the collector slower than the program). */
  readonly droppedSpans: number;
  /** Spans lost in failed exports (collector down, refusing, or too slow). */
  readonly failedSpans: number;
}
