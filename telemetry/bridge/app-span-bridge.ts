import type { SpanPacket, WireSpan } from '../../protocol/span-packet';
import { diag } from '../../propagation/opentelemetry';
import { fromWireSpan } from '../export/readable-span';
import { sdkPipelineOf, type AppPipeline } from './app-pipeline';
import { registeredWorkerSpanProcessor } from './worker-span-processor';

/** Spans held while no pipeline can take them (an SDK started later); the oldest are dropped past it. */
const MAX_WAITING = 4096;

/**
 * Hands spans that worker threads recorded to the application's SDK pipeline, rebuilt as
 * the SDK's spans with their ids intact, under the application's resource. The pipeline
 * is looked up at each delivery (a `WorkerSpanProcessor` first, else the registered SDK
 * provider's), so an SDK set up after worker-otp joined is found too; until one is found,
 * spans wait, bounded.
 */
export class AppSpanBridge {
  #waiting: WireSpan[] = [];
  #dropped = 0;
  #warned = false;

  /** Spans dropped because no pipeline took them in time. */
  get droppedSpans(): number {
    return this.#dropped;
  }

  deliver(packet: SpanPacket): void {
    const spans = packet as readonly WireSpan[];
    const pipeline = registeredWorkerSpanProcessor() ?? sdkPipelineOf();
    if (pipeline === undefined) {
      this.#hold(spans);
      return;
    }
    if (this.#waiting.length > 0) {
      const waiting = this.#waiting;
      this.#waiting = [];
      this.#send(pipeline, waiting);
    }
    this.#send(pipeline, spans);
  }

  #send(pipeline: AppPipeline, spans: readonly WireSpan[]): void {
    for (const span of spans) {
      try {
        pipeline.sink.onEnd(fromWireSpan(span, pipeline.resource));
      } catch (error) {
        diag.error('worker-otp: the application\'s span processor threw on a worker span', error);
      }
    }
  }

  #hold(spans: readonly WireSpan[]): void {
    if (!this.#warned) {
      this.#warned = true;
      diag.warn(
        'worker-otp: spans from worker threads found no SDK pipeline to join (no SDK tracer provider is registered); they wait for one. ' +
          'Wrap your span processor in new WorkerSpanProcessor(...) if your tracer provider is not the SDK\'s',
      );
    }
    for (const span of spans) this.#waiting.push(span);
    const excess = this.#waiting.length - MAX_WAITING;
    if (excess > 0) {
      this.#waiting.splice(0, excess);
      this.#dropped += excess;
    }
  }
}
