/**
 * Finished spans as plain data, to hand them from one node program to another over IPC
 * (the demo shows every node's spans of a trace in one tree), and back as spans the local
 * views and the OTLP JSON file take. A collector does this job in production: each node
 * exports its own spans there.
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { FinishedSpan } from '../../index';

export interface PlainSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly context: SpanContext;
  readonly parent: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: Array<{ name: string; time: HrTime; attributes?: Attributes }>;
  readonly resource: Attributes;
  readonly scope: { name: string; version?: string };
}

export function toPlainSpan(span: FinishedSpan): PlainSpan {
  return {
    name: span.name,
    kind: span.kind,
    context: span.spanContext(),
    parent: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events.map(({ name, time, attributes }) => ({ name, time, ...(attributes ? { attributes } : {}) })),
    resource: span.resource.attributes,
    scope: { name: span.instrumentationScope.name, ...(span.instrumentationScope.version ? { version: span.instrumentationScope.version } : {}) },
  };
}

export function fromPlainSpan(plain: PlainSpan): FinishedSpan {
  return {
    name: plain.name,
    kind: plain.kind,
    spanContext: () => plain.context,
    parentSpanContext: plain.parent,
    startTime: plain.startTime,
    endTime: plain.endTime,
    duration: plain.duration,
    status: plain.status,
    attributes: plain.attributes,
    links: plain.links,
    events: plain.events,
    ended: true,
    resource: resourceFromAttributes(plain.resource) as unknown as FinishedSpan['resource'],
    instrumentationScope: plain.scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}
