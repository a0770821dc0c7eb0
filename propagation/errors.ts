/**
 * The catalogue of worker-otp's errors. Each class has a stable `code` to branch on, and
 * a message that starts with the component and says what to do. The catalogue sits in
 * `propagation/` because errors cross threads: both sides rebuild a class from its code.
 */

/** Base class of every error worker-otp raises on purpose. */
export class WorkerOtpError extends Error {
  /** Stable identifier, e.g. `ERR_TELEMETRY_ALREADY_STARTED`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** `startTelemetry` was called while worker-otp telemetry is already running in this thread. */
export class TelemetryAlreadyStartedError extends WorkerOtpError {
  constructor() {
    super(
      'ERR_TELEMETRY_ALREADY_STARTED',
      'worker-otp telemetry: already started in this thread; reuse the running instance, or await its shutdown() before starting again',
    );
  }
}

/** Another OpenTelemetry setup already owns this thread's global tracer provider or context manager. */
export class TelemetryConflictError extends WorkerOtpError {
  constructor() {
    super(
      'ERR_TELEMETRY_CONFLICT',
      'worker-otp telemetry: another OpenTelemetry setup is registered in this thread; ' +
        'shut it down (or do not start it) before starting worker-otp telemetry, which exports every thread\'s spans itself',
    );
  }
}

/** A peer thread did not answer a span flush request in time; its spans may be lost. */
export class FlushTimeoutError extends WorkerOtpError {
  constructor(timeoutMs: number) {
    super(
      'ERR_FLUSH_TIMEOUT',
      `worker-otp telemetry: a worker thread did not send its spans within ${timeoutMs} ms; ` +
        'it may be blocked or gone. Raise options.flushTimeoutMs if it is only slow',
    );
  }
}
