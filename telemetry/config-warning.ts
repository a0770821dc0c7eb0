import { diag } from '../propagation/opentelemetry';

const reported = new Set<string>();

/**
 * Reports a configuration value worker-otp cannot use (an unknown `OTEL_*` value, say) and
 * the default it falls back on: once per message, where a user sees it (a process
 * warning, printed on stderr by default) as well as through OpenTelemetry's `diag`.
 */
export function reportConfigProblem(message: string): void {
  diag.warn(message);
  if (reported.has(message)) return;
  reported.add(message);
  process.emitWarning(message, { code: 'WORKER_OTP_CONFIG' });
}
