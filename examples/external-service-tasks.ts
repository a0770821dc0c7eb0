/**
 * The reference's ExternalService.call_api as a task function: the simulated request
 * runs on a pool thread, its span marks HTTP errors and records a raised error.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('external-service');

interface Response {
  status: number;
  body: string;
}

async function makeHttpRequest(endpoint: string): Promise<Response> {
  await new Promise((resolve) => setTimeout(resolve, 20)); // simulated network time
  if (endpoint.endsWith('/unreachable')) throw new Error(`connect ECONNREFUSED for ${endpoint}`);
  if (endpoint.endsWith('/missing')) return { status: 404, body: '{"error":"not found"}' };
  return { status: 200, body: '{"result":"success"}' };
}

export function callApi(endpoint: string, params: Record<string, unknown>): Promise<Response> {
  return tracer.startActiveSpan('external_service.call_api', async (span) => {
    span.setAttributes({ endpoint, method: 'POST', params: JSON.stringify(params) });
    try {
      const response = await makeHttpRequest(endpoint);
      span.setAttributes({ 'http.status_code': response.status, 'http.response_size': Buffer.byteLength(response.body) });
      if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${response.status}` });
      else span.setStatus({ code: SpanStatusCode.OK });
      return response;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      span.recordException(error as Error);
      throw error;
    } finally {
      span.end();
    }
  });
}
