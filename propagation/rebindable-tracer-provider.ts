import type { Context, Span, SpanOptions, Tracer, TracerOptions, TracerProvider } from '@opentelemetry/api';
import { ProxyTracerProvider } from './opentelemetry';

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

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
    let tracer = this.#tracers.get(key);
    if (tracer === undefined) {
      tracer = new RebindableTracer(() => this.#resolve(name, version, options));
      this.#tracers.set(key, tracer);
    }
    return tracer;
  }

  #resolve(name: string, version: string | undefined, options: TracerOptions | undefined): { generation: number; make: () => Tracer } {
    return { generation: this.#generation, make: () => this.#current.getTracer(name, version, options) };
  }
}

class RebindableTracer implements Tracer {
  readonly #lookup: () => { generation: number; make: () => Tracer };
  #generation = -1;
  #delegate: Tracer | undefined;

  constructor(lookup: () => { generation: number; make: () => Tracer }) {
    this.#lookup = lookup;
  }

  #current(): Tracer {
    const { generation, make } = this.#lookup();
    if (generation !== this.#generation || this.#delegate === undefined) {
      this.#delegate = make();
      this.#generation = generation;
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
