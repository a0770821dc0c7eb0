/**
 * Whether processes started now report what metrics and the live view read (their mailbox
 * depth, heap and handling times, through shared memory): only while the application
 * has a MeterProvider or a live view runs. A process started otherwise reports nothing,
 * and costs nothing for it.
 */
import { currentMeter } from '../telemetry/metrics/meter';

let observers = 0;

/** A live view starts (`+1`) or stops (`-1`) reading. */
export function countObserver(delta: 1 | -1): void {
  observers += delta;
}

export function instrumentationOn(): boolean {
  return observers > 0 || currentMeter() !== undefined;
}
