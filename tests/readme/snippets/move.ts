import { move, type GenServer } from 'worker-otp';
import type Analyzer from './analyzer-server';

export async function analyze(analyzer: GenServer<typeof Analyzer>, samples: Float64Array): Promise<number> {
  const mean = await analyzer.call({ type: 'mean', samples: move(samples) });
  // samples is detached now (length 0): its memory belongs to the process.
  return mean;
}
