/** The task examples, run as a user runs them, exporting to a real OTLP receiver. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OtlpReceiver, type DecodedSpan } from '../../dist/tests/support/otlp-receiver';
import { runExample } from '../../dist/tests/support/run-example';

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await OtlpReceiver.start();
});
afterEach(() => receiver.close());

async function run(name: string) {
  const result = await runExample(name, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result;
}

function isDescendant(span: DecodedSpan, ancestor: DecodedSpan): boolean {
  const byId = new Map(receiver.spans.map((candidate) => [candidate.spanId, candidate]));
  for (let current = byId.get(span.parentSpanId); current; current = byId.get(current.parentSpanId)) {
    if (current.spanId === ancestor.spanId) return true;
  }
  return false;
}

it('report-generator: parallel fetches on other threads under generate, then compile', async () => {
  await run('report-generator');
  const generate = receiver.only('report_generator.generate');
  expect(generate.attributes).toEqual(expect.objectContaining({ user_id: 42, report_type: 'monthly', 'thread.name': 'main' }));
  const fetches = ['fetch_user', 'fetch_analytics', 'fetch_transactions'].map((name) => receiver.only(`report_generator.${name}`));
  const events = fetches.map((span) => span.events.map((event) => event.name));
  expect(events).toEqual([['fetching_user_data'], ['fetching_analytics'], ['fetching_transactions']]);
  for (const fetch of fetches) {
    expect(isDescendant(fetch, generate)).toBe(true);
    expect(fetch.traceId).toBe(generate.traceId);
    expect(fetch.attributes['thread.name']).not.toBe('main');
  }
  for (const a of fetches) for (const b of fetches) if (a !== b) expect(a.startTimeUnixNano < b.endTimeUnixNano).toBe(true);
  const compile = receiver.only('report_generator.compile');
  expect(compile.parentSpanId).toBe(generate.spanId);
  expect(compile.attributes).toEqual(expect.objectContaining({ transaction_count: 2, total_page_views: 1000 }));
  for (const fetch of fetches) expect(compile.startTimeUnixNano).toBeGreaterThan(fetch.endTimeUnixNano);
});

it('data-processor: the invalid item fails validation with error status and exception; the rest complete', async () => {
  const result = await run('data-processor');
  expect(result.stdout).toContain('item 3: failed (Validation failed: invalid_value)');
  expect(result.stdout).toContain('item 4: value 14');
  const batch = receiver.only('data_processor.process_batch');
  expect(batch.attributes.batch_size).toBe(4);
  const items = receiver.named('data_processor.process_item');
  expect(items.map((span) => span.attributes.item_id).sort()).toEqual([1, 2, 3, 4]);
  expect(items.every((span) => isDescendant(span, batch))).toBe(true);
  const validations = receiver.named('data_processor.validate');
  const failed = validations.filter((span) => span.status.code === 'ERROR');
  expect(failed).toHaveLength(1);
  expect(failed[0]!.status.message).toBe('invalid_value');
  expect(failed[0]!.events[0]?.attributes['exception.message']).toBe('Validation failed: invalid_value');
  expect(validations.filter((span) => span.status.code === 'OK')).toHaveLength(3);
  const failedItem = items.find((span) => span.attributes.item_id === 3)!;
  expect(isDescendant(failed[0]!, failedItem)).toBe(true);
  expect(receiver.named('data_processor.transform')).toHaveLength(4);
});

it('external-service: OK, an HTTP 404 error status, and a raised error with its exception', async () => {
  await run('external-service');
  const calls = receiver.named('external_service.call_api');
  const byEndpoint = (suffix: string) => calls.find((span) => String(span.attributes.endpoint).endsWith(suffix))!;
  expect(byEndpoint('/orders').status.code).toBe('OK');
  expect(byEndpoint('/orders').attributes['http.status_code']).toBe(200);
  expect(byEndpoint('/missing').status).toEqual({ code: 'ERROR', message: 'HTTP 404' });
  const raised = byEndpoint('/unreachable');
  expect(raised.status.code).toBe('ERROR');
  const exception = raised.events.find((event) => event.name === 'exception')!;
  expect(exception.attributes['exception.message']).toContain('ECONNREFUSED');
  expect(String(exception.attributes['exception.stacktrace'])).toContain('makeHttpRequest');
  const root = receiver.only('external_service.sync_all');
  expect(calls.every((span) => isDescendant(span, root))).toBe(true);
});

it('no example plumbs context by hand', () => {
  const examples = join(__dirname, '..', '..', 'examples');
  const forbidden = /context\.with\(|propagation\.(extract|inject)\(|context\.attach|trace\.setSpan\(|injectTraceCarrier|extractTraceContext/;
  const offenders = readdirSync(examples)
    .filter((file) => file.endsWith('.ts'))
    .filter((file) => forbidden.test(readFileSync(join(examples, file), 'utf8')));
  expect(offenders).toEqual([]);
});
