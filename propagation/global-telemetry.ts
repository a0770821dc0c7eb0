import type { TracerProvider } from '@opentelemetry/api';
import { context, propagation, trace, AsyncLocalStorageContextManager } from './opentelemetry';
import { TelemetryConflictError } from './errors';
import { RebindableTracerProvider } from './rebindable-tracer-provider';
import { threadState } from './thread-state';
import { W3CPropagator } from './w3c-propagator';

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
  if (threadState.tracerProvider === undefined) {
    const rebindable = new RebindableTracerProvider();
    installed.push(trace.setGlobalTracerProvider(rebindable));
    if (installed.at(-1)) threadState.tracerProvider = rebindable;
  }
  // The API refuses a second registration and leaves the first in place, ours partly in.
  if (installed.includes(false)) throw new TelemetryConflictError();
  threadState.tracerProvider!.bind(provider);
  return () => {
    // The tracer provider stays registered, pointing at nothing, so that tracers taken
    // before a restart follow the next provider (see RebindableTracerProvider).
    threadState.tracerProvider?.bind(undefined);
    propagation.disable();
    context.disable();
  };
}
