import { startTelemetry } from 'worker-otp';

export async function traced(run: () => Promise<void>): Promise<void> {
  const telemetry = startTelemetry({ serviceName: 'billing' }); // or the OTEL_* variables
  await run();
  await telemetry.shutdown(); // brings in every thread's spans, exports, releases the globals
}
