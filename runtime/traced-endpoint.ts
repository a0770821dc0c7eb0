import { tracedEndpoint as protocolTracedEndpoint, type EventEndpoint, type NodeMessageEndpoint, type TracedEndpointOptions } from '../protocol/traced-endpoint';
import { joinAppTelemetry } from './app-telemetry';

/**
 * Wraps a message endpoint so that every message carries the sender's trace context and
 * the receiving side runs its listeners inside it (see the protocol's `tracedEndpoint`).
 * In the main thread it first joins the application's OpenTelemetry, if it runs any; a
 * Worker of your own should be created once that is set up, so that its thread can record
 * too.
 */
export function tracedEndpoint(endpoint: EventEndpoint | NodeMessageEndpoint, options?: TracedEndpointOptions): EventEndpoint {
  joinAppTelemetry();
  return protocolTracedEndpoint(endpoint, options);
}
