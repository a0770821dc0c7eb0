import type { Context, Span, SpanOptions, Tracer, TracerOptions, TracerProvider } from '@opentelemetry/api';
import { ProxyTracerProvider } from '../../propagation/opentelemetry';

/** A provider with no delegate: its tracers make non-recording spans. */
const NOOP_PROVIDER = new ProxyTracerProvider();

/**
 * The tracer provider worker-otp registers globally, once per thread, in front of the
 * SDK provider of the moment.
 *
 * Why: the API's global proxy hands out tracers that bind to the first provider they
 * see and keep it. Code that calls `trace.getTracer()` at module load (most code) would
 * keep recording into a provider that was shut down once telemetry is stopped and
 * started again. These tracers look the current provider up at every span instead.
 */
export class RebindableTracerProvider implements TracerProvider {
  #current: TracerProvider = NOOP_PROVIDER;
  #generation = 0;
  readonly #tracers = new Map<string, RebindableTracer>();

  /** Points every tracer handed out so far, and later, at `provider` (or at nothing). */
  bind(provider: TracerProvider | undefined): void {
    this.#current = provider ?? NOOP_PROVIDER;
    this.#generation += 1;
  }

  /** @internal Changes at every `bind`: a tracer holding an older one looks its delegate up again. */
  get generation(): number {
    return this.#generation;
  }

  /** @internal The provider bound now. */
  get current(): TracerProvider {
    return this.#current;
  }

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
    let tracer = this.#tracers.get(key);
    if (tracer === undefined) {
      tracer = new RebindableTracer(this, name, version, options);
      this.#tracers.set(key, tracer);
    }
    return tracer;
  }
}

class RebindableTracer implements Tracer {
  readonly #owner: RebindableTracerProvider;
  readonly #name: string;
  readonly #version: string | undefined;
  readonly #options: TracerOptions | undefined;
  #generation = -1;
  #delegate: Tracer | undefined;

  constructor(owner: RebindableTracerProvider, name: string, version: string | undefined, options: TracerOptions | undefined) {
    this.#owner = owner;
    this.#name = name;
    this.#version = version;
    this.#options = options;
  }

  #current(): Tracer {
    if (this.#generation !== this.#owner.generation || this.#delegate === undefined) {
      this.#delegate = this.#owner.current.getTracer(this.#name, this.#version, this.#options);
      this.#generation = this.#owner.generation;
    }
    return this.#delegate;
  }

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    return this.#current().startSpan(name, options, context);
  }

  startActiveSpan<F extends (span: Span) => unknown>(...args: [string, F] | [string, SpanOptions, F] | [string, SpanOptions, Context, F]): ReturnType<F> {
    return (this.#current().startActiveSpan as (...a: unknown[]) => ReturnType<F>)(...args);
  }
}
