/**
 * Where worker spans go when the application runs OpenTelemetry itself: its SDK's span
 * processors, under its resource. Found in one of two ways:
 * - a {@link WorkerSpanProcessor} the application added to its SDK (the explicit way);
 * - else the SDK's own tracer provider, registered globally (NodeSDK, a NodeTracerProvider,
 *   the zero-code preload): its active span processor and resource are read from it. That
 *   reads fields the SDK keeps for itself (`_activeSpanProcessor`, `_resource` in SDK 2;
 *   `getActiveSpanProcessor()`, `resource` in SDK 1), so it is checked, never assumed.
 */
import type { TracerProvider } from '@opentelemetry/api';
import type { SdkReadableSpan, SdkResource } from '../sdk-types';
import { ProxyTracerProvider, trace } from '../../propagation/opentelemetry';
import { isOwnGlobalProvider } from '../record/install-globals';

/** The part of a span processor worker spans need. */
export interface SpanSink {
  onEnd(span: SdkReadableSpan): void;
}

/** An SDK pipeline worker spans can join. */
export interface AppPipeline {
  readonly sink: SpanSink;
  readonly resource: SdkResource;
}

/** The provider's delegate when it is the API's proxy (what `trace.getTracerProvider()` returns). */
function unwrap(provider: TracerProvider): TracerProvider {
  return provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider;
}

function isSink(value: unknown): value is SpanSink {
  return typeof (value as SpanSink | null)?.onEnd === 'function';
}

function isResource(value: unknown): value is SdkResource {
  return typeof (value as SdkResource | null)?.attributes === 'object';
}

/** The SDK pipeline of `provider` (by default the registered one), if it is an SDK tracer provider. */
export function sdkPipelineOf(provider: TracerProvider = trace.getTracerProvider()): AppPipeline | undefined {
  const sdk = unwrap(provider) as {
    _activeSpanProcessor?: unknown;
    _resource?: unknown;
    getActiveSpanProcessor?: () => unknown;
    resource?: unknown;
  };
  const sink = sdk._activeSpanProcessor ?? (typeof sdk.getActiveSpanProcessor === 'function' ? sdk.getActiveSpanProcessor() : undefined);
  const resource = sdk._resource ?? sdk.resource;
  return isSink(sink) && isResource(resource) ? { sink, resource } : undefined;
}

/** A provider that is no SDK's: the API's no-op one, when nothing is registered. */
const NOOP_DELEGATE = new ProxyTracerProvider().getDelegate();

/** Whether the application registered a tracer provider of its own (worker-otp's own setup's does not count). */
export function appTracerProviderRegistered(): boolean {
  const provider = unwrap(trace.getTracerProvider());
  return provider !== NOOP_DELEGATE && !isOwnGlobalProvider(provider);
}
