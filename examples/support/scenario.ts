import type { FinishedSpan, Telemetry, TelemetryOptions } from '../../index';

/** What a scenario gets while it runs. */
export interface ScenarioContext {
  readonly telemetry: Telemetry;
  /** Prints a line of the scenario's own output. */
  readonly log: (line: string) => void;
  /** Whether output goes to a terminal (progress bars are shown only there). */
  readonly interactive: boolean;
  /** Spans another program recorded (another node's), shown with this scenario's. */
  readonly addSpans: (spans: readonly FinishedSpan[]) => void;
}

/** One of the demo's scenarios: a reference example, checked as it runs. */
export interface Scenario {
  readonly name: string;
  /** One line for `demo --list`. */
  readonly summary: string;
  /** Telemetry settings this scenario needs (a sampler, say), on top of the defaults. */
  readonly telemetry?: TelemetryOptions;
  /** Runs the scenario; rejects with a ScenarioFailure when it did not behave as intended. */
  run(context: ScenarioContext): Promise<void>;
}

/** A scenario that ran but did not do what it shows. */
export class ScenarioFailure extends Error {
  override name = 'ScenarioFailure';
}

/** Checks what a scenario expects; a false condition fails it with `message`. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ScenarioFailure(message);
}
