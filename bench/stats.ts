/** The figures a case reports, over its repetitions (after warm-up). */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

/** The `q` quantile (0..1) of `values`, by nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summarize(values: readonly number[]): Summary {
  return {
    median: quantile(values, 0.5),
    min: Math.min(...values),
    max: Math.max(...values),
    samples: values.length,
  };
}

/** Nanoseconds elapsed since `start` (a `process.hrtime.bigint()` reading), in microseconds. */
export function microsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1000;
}
