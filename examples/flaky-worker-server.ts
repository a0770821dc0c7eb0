/** A GenServer that crashes on a poison message: the supervised-crash example's worker. */
import { threadId } from 'node:worker_threads';
import { trace } from '@opentelemetry/api';
import { defineGenServer } from '../workers';

export type FlakyRequest = { type: 'work'; input: string } | { type: 'poison' };

export default defineGenServer<{ state: { handled: number }; call: FlakyRequest; reply: string }>({
  name: 'flaky_worker',
  init: () => ({ ok: { handled: 0 } }),
  handleCall(request, _from, state) {
    if (request.type === 'poison') throw new Error('poison message: cannot process this input');
    trace.getActiveSpan()?.setAttribute('input', request.input);
    return { reply: `processed ${request.input} on thread ${threadId}`, state: { handled: state.handled + 1 } };
  },
});
