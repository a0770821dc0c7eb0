/** The supervision examples, run as a user runs them, exporting to a real OTLP receiver. */
import { OtlpReceiver } from '../../dist/tests/support/otlp-receiver';
import { runExample } from '../../dist/tests/support/run-example';

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await OtlpReceiver.start();
});
afterEach(() => receiver.close());

const env = () => ({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });

it('critical-service: init and terminate spans with the reference attributes, under a supervisor', async () => {
  const run = await runExample('critical-service', env());
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const init = receiver.only('critical_service.init');
  expect(init.attributes.opts).toBe(JSON.stringify({ resources: ['db', 'cache'] }));
  expect(init.status.code).toBe('OK');
  expect(init.parentSpanId).toBe(receiver.only('critical_sup.start').spanId);
  const terminate = receiver.only('critical_service.terminate');
  expect(terminate.attributes.reason).toBe('shutdown');
  expect(JSON.parse(String(terminate.attributes.state))).toEqual(expect.objectContaining({ resources: ['db', 'cache'] }));
  expect(terminate.parentSpanId).toBe(receiver.only('critical_sup.stop').spanId);
});

it('supervised-crash: the caller is told, the supervisor restarts, the next call by name succeeds', async () => {
  const run = await runExample('supervised-crash', env());
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/2\. the caller was told at once: .*flaky_worker .* exited \(error: Error: poison message/);
  expect(run.stdout).toMatch(/3\. restarted by crash_sup as \{"pid":\d+\} \(was \{"pid":\d+\}\): processed second/);
  const crashed = receiver.named('flaky_worker.handle_call').find((span) => span.status.code === 'ERROR')!;
  expect(crashed.events.map((event) => event.name)).toContain('exception');
  const restart = receiver.only('crash_sup.restart_child');
  expect(restart.links.map((link) => link.spanId)).toEqual([crashed.spanId]);
  expect(receiver.named('flaky_worker.init').filter((span) => span.parentSpanId === restart.spanId)).toHaveLength(1);
});
