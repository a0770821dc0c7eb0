/**
 * The reference's HighThroughputWorker. Every request opens its `worker.process` span;
 * which ones are recorded is the sampler's decision, made once where the trace starts
 * and followed by this thread: no hand-rolled random check.
 */
import { trace } from '@opentelemetry/api';
import { defineGenServer } from '../workers';

const tracer = trace.getTracer('high-throughput');

export type ProcessRequest = { type: 'process'; data: number };

export default defineGenServer<{ state: { processed: number }; call: ProcessRequest; reply: number }>({
  name: 'high_throughput_worker',
  init: () => ({ ok: { processed: 0 } }),
  handleCall(request, _from, state) {
    return tracer.startActiveSpan('worker.process', (span) => {
      span.setAttribute('data', request.data);
      span.end();
      return { reply: request.data * 2, state: { processed: state.processed + 1 } };
    });
  },
});
