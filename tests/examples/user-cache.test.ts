/**
 * The UserCache example, run as a user runs it (`node dist/examples/user-cache.js`),
 * exporting to a real OTLP receiver through the standard environment variables.
 */
import { OtlpReceiver, type DecodedSpan } from '../../dist/tests/support/otlp-receiver';
import { runExample } from '../../dist/tests/support/run-example';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await OtlpReceiver.start();
});
afterAll(() => receiver.close());

it('exports the reference trace shape: client on main, callbacks on the process thread, one trace per request', async () => {
  const endpoint = receiver.url.replace('/v1/traces', '');
  const run = await runExample('user-cache', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'user-cache-e2e' });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);

  const children = (parent: DecodedSpan, name: string) => receiver.spans.filter((span) => span.parentSpanId === parent.spanId && span.name === name);
  const only = (parent: DecodedSpan, name: string) => {
    const [found, ...rest] = children(parent, name);
    expect(rest).toHaveLength(0);
    expect(found).toBeDefined();
    return found!;
  };
  const gets = receiver.named('user_cache.get_user').sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
  expect(gets).toHaveLength(2);
  const events: string[] = [];
  for (const get of gets) {
    expect(get.attributes).toEqual(expect.objectContaining({ user_id: 42, call_type: 'sync', 'thread.name': 'main' }));
    const client = only(get, 'user_cache.call');
    expect(client.kind).toBe('CLIENT');
    expect(client.attributes['thread.name']).toBe('main');
    const server = only(client, 'user_cache.handle_call');
    expect(server.kind).toBe('SERVER');
    expect(server.attributes['thread.name']).toBe('user_cache');
    const work = only(server, 'user_cache.handle_call.get_user');
    events.push(...work.events.map((event) => event.name));
    expect(new Set([get, client, server, work].map((span) => span.traceId)).size).toBe(1);
  }
  expect(events).toEqual(['cache_miss', 'cache_hit']);
  const [miss] = gets;
  const missWork = only(only(only(miss!, 'user_cache.call'), 'user_cache.handle_call'), 'user_cache.handle_call.get_user');
  expect(only(missWork, 'user_cache.fetch_from_db').attributes.user_id).toBe(42);

  const refresh = receiver.only('user_cache.refresh_user');
  const produced = only(refresh, 'user_cache.cast');
  expect(produced.kind).toBe('PRODUCER');
  const consumed = only(produced, 'user_cache.handle_cast');
  expect(consumed.kind).toBe('CONSUMER');
  only(only(consumed, 'user_cache.handle_cast.refresh'), 'user_cache.fetch_from_db');

  expect(receiver.only('user_cache.init').attributes.ttl).toBe(600);
  expect(new Set(receiver.spans.map((span) => span.resource['service.name']))).toEqual(new Set(['user-cache-e2e']));
});

it('prints the trace tree when no collector is configured', async () => {
  const run = await runExample('user-cache');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('get_user(42) -> User 42, then User 42 from the cache');
  expect(run.stdout).toMatch(/user_cache\.get_user .*\[main\]\n\s+user_cache\.call .*\[main\]\n\s+user_cache\.handle_call .*\[user_cache\]/);
});
