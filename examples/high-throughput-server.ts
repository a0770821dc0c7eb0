/**
 * The reference's HighThroughputWorker. Every request opens its `worker.process` span; an
 * input it cannot process (a negative number) marks that span failed. Which traces are
 * exported is decided after each has ended (tail sampling, see high-throughput.ts): this
 * thread records everything and decides nothing.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { defineGenServer } from '../workers';

const tracer = trace.getTracer('high-throughput');

export type ProcessRequest = { type: 'process'; data: number };

export default defineGenServer<{ state: { processed: number }; call: ProcessRequest; reply: number | 'rejected' }>({
  name: 'high_throughput_worker',
  init: () => ({ ok: { processed: 0 } }),
  handleCall(request, _from, state) {
    return tracer.startActiveSpan('worker.process', (span) => {
      span.setAttribute('data', request.data);
      if (request.data < 0) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: `cannot process ${request.data}` });
        span.end();
        return { reply: 'rejected' as const, state };
      }
      span.end();
      return { reply: request.data * 2, state: { processed: state.processed + 1 } };
    });
  },
});
