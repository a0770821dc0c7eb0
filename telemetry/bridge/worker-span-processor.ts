import type { Context } from '@opentelemetry/api';
import type { SdkReadableSpan, SdkResource, SdkSpanProcessor } from '../sdk-types';
import { threadOutbox } from '../../protocol/span-outbox';
import { sdkPipelineOf, type AppPipeline } from './app-pipeline';

/** How long a flush waits for each worker thread's spans, in ms. */
const FLUSH_TIMEOUT_MS = 5000;

let registered: WorkerSpanProcessor | undefined;

/** The latest processor made is the one worker spans go through. */
function register(processor: WorkerSpanProcessor | undefined): void {
  registered = processor;
}

/** The processor the application added to its SDK, if it did (the explicit way in). */
export function registeredWorkerSpanProcessor(): AppPipeline | undefined {
  return registered?.pipeline;
}

/**
 * Sends the spans worker-otp's threads record through your SDK's own span processor:
 * wrap the processor you give your tracer provider (or NodeSDK) with it. Your processor
 * gets every span it got before, plus the spans of every worker thread, with their ids
 * intact, under your resource; `forceFlush()` and `shutdown()` first bring in the spans
 * the threads still hold.
 *
 * ```ts
 * new NodeSDK({ spanProcessors: [new WorkerSpanProcessor(new BatchSpanProcessor(exporter))] }).start();
 * ```
 *
 * Without it, worker-otp finds the processor of a registered SDK tracer provider by itself;
 * use it when that is not possible (a provider of your own making) or to have flushes
 * include the worker threads.
 */
export class WorkerSpanProcessor implements SdkSpanProcessor {
  readonly #inner: SdkSpanProcessor;
  #resource: SdkResource | undefined;

  constructor(inner: SdkSpanProcessor, options: { readonly resource?: SdkResource } = {}) {
    if (inner === null || typeof inner !== 'object' || typeof inner.onEnd !== 'function') {
      throw new TypeError('worker-otp: new WorkerSpanProcessor(processor) needs the span processor to wrap, e.g. a BatchSpanProcessor');
    }
    this.#inner = inner;
    this.#resource = options.resource;
    register(this);
  }

  /** @internal Where worker spans go: the wrapped processor, under the resource seen on your spans (or your provider's). */
  get pipeline(): AppPipeline | undefined {
    const resource = this.#resource ?? sdkPipelineOf()?.resource;
    return resource ? { sink: this.#inner, resource } : undefined;
  }

  onStart(span: SdkReadableSpan, parentContext: Context): void {
    this.#resource ??= span.resource;
    this.#inner.onStart(span, parentContext);
  }

  onEnd(span: SdkReadableSpan): void {
    this.#resource ??= span.resource;
    this.#inner.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await threadOutbox()?.flushDownstream(FLUSH_TIMEOUT_MS);
    await this.#inner.forceFlush();
  }

  async shutdown(): Promise<void> {
    await threadOutbox()?.flushDownstream(FLUSH_TIMEOUT_MS);
    if (registered === this) register(undefined);
    await this.#inner.shutdown();
  }
}
