import type { HrTime, Link, SpanContext } from '@opentelemetry/api';
import type { SdkReadableSpan, SdkResource } from '../sdk-types';
import { W3CTraceState } from '../../propagation/trace-state';
import type { WireSpan, WireSpanContext } from '../../protocol/span-packet';

function fromWireContext(wire: WireSpanContext): SpanContext {
  return {
    traceId: wire.traceId,
    spanId: wire.spanId,
    traceFlags: wire.traceFlags,
    isRemote: wire.isRemote ?? false,
    ...(wire.traceState ? { traceState: W3CTraceState.parse(wire.traceState) } : {}),
  };
}

function durationOf(start: HrTime, end: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1_000_000_000;
  }
  return [seconds, nanos];
}

/**
 * Rebuilds a span that arrived from another thread, under this thread's resource, so
 * every span leaves through one exporter as one service.
 */
export function fromWireSpan(wire: WireSpan, resource: SdkResource): SdkReadableSpan {
  const spanContext = fromWireContext(wire.context);
  const links: Link[] = wire.links.map((link) => ({
    context: fromWireContext(link.context),
    ...(link.attributes ? { attributes: link.attributes } : {}),
    ...(link.droppedAttributesCount ? { droppedAttributesCount: link.droppedAttributesCount } : {}),
  }));
  return {
    name: wire.name,
    kind: wire.kind,
    spanContext: () => spanContext,
    ...(wire.parent ? { parentSpanContext: fromWireContext(wire.parent) } : {}),
    startTime: wire.startTime,
    endTime: wire.endTime,
    duration: durationOf(wire.startTime, wire.endTime),
    status: wire.status,
    attributes: wire.attributes,
    links,
    events: wire.events,
    ended: true,
    resource,
    instrumentationScope: wire.scope,
    droppedAttributesCount: wire.droppedAttributesCount,
    droppedEventsCount: wire.droppedEventsCount,
    droppedLinksCount: wire.droppedLinksCount,
  };
}
