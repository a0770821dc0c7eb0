/** A CPU-bound item of work for the cpu-batch example: deterministic, so results can be checked. */
import { threadId } from 'node:worker_threads';

export const ROUNDS = 700_000;

/** Mixes `seed` through ROUNDS xorshift steps (a millisecond or so of CPU). */
export function crunch(seed: number): { value: number; thread: number } {
  let x = seed | 1;
  for (let round = 0; round < ROUNDS; round++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return { value: x >>> 0, thread: threadId };
}
