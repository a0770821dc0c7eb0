/**
 * Library mode: worker-otp joins the application's OpenTelemetry (NodeSDK, a tracer
 * provider of its own, the zero-code preload), registering nothing global in the main
 * thread. Once joined:
 * - every envelope carries the active context (the relay below is this thread's outbox);
 * - worker-otp's own main-thread spans come from the application's tracer provider, so
 *   its sampler decides, on the clock every thread shares;
 * - threads started from then on record with the slim tracer, following their caller's
 *   sampling decision (roots by `OTEL_TRACES_SAMPLER`), and their spans reach the
 *   application's span processors with their ids intact (see `AppSpanBridge`).
 *
 * It joins when worker-otp is loaded and again whenever it starts a thread, so an SDK set up
 * after the import is found before the first process or pool starts. Threads started
 * before the application had OpenTelemetry stay untraced.
 */
import { INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION, ROOT_CONTEXT, context, createContextKey, trace } from '../propagation/opentelemetry';
import { setThreadOutbox, threadOutbox } from '../protocol/span-outbox';
import { AppSpanBridge } from '../telemetry/bridge/app-span-bridge';
import { appTracerProviderRegistered } from '../telemetry/bridge/app-pipeline';
import { ClockedTracer } from '../telemetry/bridge/clocked-tracer';
import { samplerConfigFromEnv } from '../telemetry/record/sampling';
import { createClockAnchor } from '../telemetry/record/shared-clock';
import { setRuntimeTracer } from '../protocol/runtime-tracer';
import { DEFAULT_MAX_PENDING, DEFAULT_SEND_DELAY_MS, SpanRelay } from '../telemetry/relay/span-relay';
import { publishThreadConfig } from '../telemetry/thread-config';

const PROBE = createContextKey('worker-otp: context manager probe');

/** Whether the application registered a context manager: a value set in `context.with` is seen inside. */
function contextManagerRegistered(): boolean {
  return context.with(ROOT_CONTEXT.setValue(PROBE, true), () => context.active().getValue(PROBE) === true);
}

let joined: AppSpanBridge | undefined;

/**
 * In library mode: brings in every thread's spans (each within `timeoutMs`) and has the
 * application's tracer provider export what it holds. The application's SDK stays up:
 * shutting it down is the application's to do.
 */
export async function flushAppTelemetry(timeoutMs: number): Promise<void> {
  if (joined === undefined) return;
  await threadOutbox()?.flushDownstream(timeoutMs);
  const provider = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const delegate = (typeof provider.getDelegate === 'function' ? provider.getDelegate() : provider) as { forceFlush?: () => Promise<void> };
  await delegate.forceFlush?.();
}

/** Whether the application runs OpenTelemetry of its own (worker-otp's own setup aside). */
export function appTelemetryPresent(): boolean {
  return joined !== undefined || appTracerProviderRegistered() || contextManagerRegistered();
}

/**
 * Joins the application's OpenTelemetry if it has any and worker-otp's own telemetry is
 * not running (`startTelemetry` sets up everything itself). Idempotent and cheap.
 */
export function joinAppTelemetry(): void {
  if (joined !== undefined || threadOutbox() !== undefined || !appTelemetryPresent()) return;
  const bridge = new AppSpanBridge();
  const clock = createClockAnchor();
  setThreadOutbox(new SpanRelay({ deliver: (spans) => bridge.deliver(spans) }));
  setRuntimeTracer(new ClockedTracer(trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION), clock));
  publishThreadConfig({ sampler: samplerConfigFromEnv(process.env), clock, maxPendingSpans: DEFAULT_MAX_PENDING, sendDelayMs: DEFAULT_SEND_DELAY_MS, encodeSpans: false, rideBatch: 1 });
  joined = bridge;
}
