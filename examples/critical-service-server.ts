/**
 * The reference's `MyApp.CriticalService`: its whole lifecycle traced. The runtime's own
 * `critical_service.init` and `critical_service.terminate` spans are active inside the
 * callbacks, so the reference's attributes and status go straight onto them.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { defineGenServer } from '../workers';

export interface CriticalServiceOptions {
  resources: string[];
}

interface State {
  resources: string[];
  openedAt: string;
}

function setupResources(options: CriticalServiceOptions): { ok: State } | { error: string } {
  if (options.resources.length === 0) return { error: 'no_resources' };
  return { ok: { resources: options.resources, openedAt: new Date().toISOString() } };
}

export default defineGenServer<{ state: State; call: { type: 'status' }; reply: State; initArg: CriticalServiceOptions }>({
  name: 'critical_service',

  init(options) {
    const span = trace.getActiveSpan();
    span?.setAttribute('opts', JSON.stringify(options));
    const setup = setupResources(options);
    if ('error' in setup) {
      span?.setStatus({ code: SpanStatusCode.ERROR, message: setup.error });
      return { stop: setup.error };
    }
    span?.setStatus({ code: SpanStatusCode.OK });
    return { ok: setup.ok };
  },

  handleCall(_request, _from, state) {
    return { reply: state, state };
  },

  terminate(reason, state) {
    trace.getActiveSpan()?.setAttributes({ reason: reason.type, state: JSON.stringify(state) });
    // cleanup_resources(state) would release what init opened.
  },
});
