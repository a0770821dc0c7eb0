import { TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanRelay } from '../propagation/span-relay';
import { toWireSpan } from '../propagation/span-wire';

/** Hands each sampled span that ends in a worker thread to the relay towards the main thread. */
export class RelaySpanProcessor implements SpanProcessor {
  readonly #relay: SpanRelay;

  constructor(relay: SpanRelay) {
    this.#relay = relay;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.#relay.accept([toWireSpan(span)]);
  }

  forceFlush(): Promise<void> {
    this.#relay.sendPending();
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.forceFlush();
  }
}
