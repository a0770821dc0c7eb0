import type { TracerProvider } from '@opentelemetry/api';
import { context, propagation, trace, AsyncLocalStorageContextManager } from '../../propagation/opentelemetry';
import { TelemetryConflictError } from '../../errors';
import { W3CPropagator } from '../../propagation/w3c-propagator';
import { RebindableTracerProvider } from './rebindable-tracer-provider';

/**
 * The global tracer provider worker-otp registered in this thread, kept for the thread's
 * life (on `globalThis`, shared by every copy of worker-otp's modules in the thread).
 */
const KEY = Symbol.for('worker-otp.global-tracer-provider');
const registry = globalThis as { [KEY]?: RebindableTracerProvider | undefined };

/** Whether `provider` is the one worker-otp registered in this thread. */
export function isOwnGlobalProvider(provider: TracerProvider): boolean {
  return provider === registry[KEY];
}

/**
 * Makes `provider` this thread's global OpenTelemetry setup, so that plain
 * `@opentelemetry/api` calls (`trace.getTracer`, `trace.getActiveSpan`, `context.with`)
 * work in user code: an AsyncLocalStorage context manager, the provider, and the W3C
 * propagators for whatever the user's code sends further (HTTP and the like).
 * Returns the undo, which releases the context manager and propagator and unbinds the
 * provider, so telemetry can be started again.
 */
export function installGlobalTelemetry(provider: TracerProvider): () => void {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const installed = [
    context.setGlobalContextManager(contextManager),
    propagation.setGlobalPropagator(new W3CPropagator()),
  ];
  if (registry[KEY] === undefined) {
    const rebindable = new RebindableTracerProvider();
    installed.push(trace.setGlobalTracerProvider(rebindable));
    if (installed.at(-1)) registry[KEY] = rebindable;
  }
  // The API refuses a second registration and leaves the first in place, ours partly in.
  if (installed.includes(false)) throw new TelemetryConflictError();
  registry[KEY]!.bind(provider);
  return () => {
    // The tracer provider stays registered, pointing at nothing, so that tracers taken
    // before a restart follow the next provider (see RebindableTracerProvider).
    registry[KEY]?.bind(undefined);
    propagation.disable();
    context.disable();
  };
}
