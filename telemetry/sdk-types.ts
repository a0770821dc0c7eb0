/**
 * The OpenTelemetry SDK's types, as far as worker-otp uses them: structural copies, so that
 * worker-otp's public declarations need only `@opentelemetry/api`. The SDK packages are
 * optional (worker-otp's own setup loads them, on `startTelemetry()`); an application that
 * passes its SDK's objects in (a span exporter, a span processor) type-checks as before,
 * since its objects have these shapes.
 */
import type { Attributes, Context, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';

/** The SDK's `Resource`: what every span of a service carries. */
export interface SdkResource {
  readonly attributes: Attributes;
  readonly schemaUrl?: string | undefined;
}

/** The SDK's `TimedEvent`. */
export interface SdkTimedEvent {
  time: HrTime;
  name: string;
  attributes?: Attributes;
  droppedAttributesCount?: number;
}

/** The SDK's `ReadableSpan`: an ended span, as span processors and exporters take it. */
export interface SdkReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  spanContext(): SpanContext;
  readonly parentSpanContext?: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: SdkTimedEvent[];
  readonly duration: HrTime;
  readonly ended: boolean;
  readonly resource: SdkResource;
  readonly instrumentationScope: { readonly name: string; readonly version?: string | undefined; readonly schemaUrl?: string | undefined };
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
}

/** The SDK's `ExportResult`: `code` 0 for success, 1 for failure. */
export interface SdkExportResult {
  code: number;
  error?: Error;
}

export const EXPORT_SUCCESS = 0;
export const EXPORT_FAILED = 1;

/** The SDK's `SpanExporter`. */
export interface SdkSpanExporter {
  export(spans: SdkReadableSpan[], resultCallback: (result: SdkExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** The SDK's `SpanProcessor`. */
export interface SdkSpanProcessor {
  onStart(span: SdkReadableSpan, parentContext: Context): void;
  onEnd(span: SdkReadableSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}
