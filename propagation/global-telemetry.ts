import { context, propagation, trace, type TracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { TelemetryConflictError } from './errors';

/**
 * Makes `provider` this thread's global OpenTelemetry setup, so that plain
 * `@opentelemetry/api` calls (`trace.getTracer`, `trace.getActiveSpan`, `context.with`)
 * work in user code: an AsyncLocalStorage context manager, the provider, and the W3C
 * propagators for whatever the user's code sends further (HTTP and the like).
 * Returns the undo, which releases the globals so telemetry can be started again.
 */
export function installGlobalTelemetry(provider: TracerProvider): () => void {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const installed = [
    context.setGlobalContextManager(contextManager),
    trace.setGlobalTracerProvider(provider),
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    ),
  ];
  // The API refuses a second registration and leaves the first in place, ours partly in.
  if (installed.includes(false)) throw new TelemetryConflictError();
  return () => {
    trace.disable();
    propagation.disable();
    context.disable();
  };
}
