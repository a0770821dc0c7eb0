/**
 * The demo command as a user runs it: the list, every scenario checked, the OTLP JSON
 * file, usage errors, and the same spans sent to a collector when one is configured.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OtlpReceiver } from '../../dist/tests/support/otlp-receiver';
import { runExample } from '../../dist/tests/support/run-example';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'worker-otp-demo-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const SCENARIOS = ['user-cache', 'data-processor', 'report-generator', 'external-service', 'critical-service', 'high-throughput', 'supervised-crash', 'cpu-batch', 'http-service', 'cluster'];

it('is a script of the repository, not a command of the package (which ships no examples)', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { bin?: unknown; scripts: Record<string, string> };
  expect(pkg.bin).toBeUndefined();
  expect(pkg.scripts.demo).toContain('dist/examples/demo.js');
});

it('lists every scenario with a line each', async () => {
  const run = await runExample('demo', {}, ['demo', '--list']);
  expect(run.code).toBe(0);
  const names = run.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0]);
  expect(names).toEqual(SCENARIOS);
});

it('runs every scenario, checks each, prints the trees and writes the spans as OTLP JSON', async () => {
  const jsonFile = join(directory, 'spans.json');
  const run = await runExample('demo', {}, ['--otlp-json', jsonFile], 120_000);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`all ${SCENARIOS.length} scenarios behaved as intended`);
  for (const name of SCENARIOS) expect(run.stdout).toContain(`== ${name}: `);
  // A tree, plain text when not on a terminal: the reference's process relationships.
  expect(run.stdout).toMatch(/report_generator\.generate .*\[main\]\n(\s+.*\n)*?\s+report_generator\.fetch_user .*\[report_tasks#\d+\]/);
  expect(run.stdout).not.toContain('\x1b[');
  // Two nodes on the nats-server `npm test` installs: one trace, each span marked with its node.
  expect(run.stdout).toMatch(/started nats-server on nats:\/\/127\.0\.0\.1:\d+/);
  expect(run.stdout).toMatch(/6 report pages rendered: \d on (worker|demo), \d on (worker|demo)/);
  expect(run.stdout).toMatch(/cluster\.request .*\[main @demo\]\n(\s+.*\n)*?\s+user_cache\.handle_call .*\[user_cache @worker\]/);
  const otlp = JSON.parse(readFileSync(jsonFile, 'utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> };
  const names = otlp.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name)));
  expect(names).toEqual(expect.arrayContaining(['user_cache.get_user', 'report_generator.generate', 'crash_sup.restart_child', 'worker.process', 'crunch.map_chunk']));
}, 130_000);

it('skips the cluster scenario when there is no NATS server, saying how to get one', async () => {
  const run = await runExample('demo', { NATS_SERVER_PATH: join(directory, 'no-nats-server'), NATS_URL: '' }, ['cluster']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain("skipped: this scenario needs a NATS server, and there is none here: install Debian's package nats-server");
  expect(run.stdout).toContain('all 1 scenarios behaved as intended');
});

it('exits non-zero with the reason for an unknown scenario or option', async () => {
  const unknown = await runExample('demo', {}, ['nope']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('no scenario nope; see npm run demo -- --list');
  const badOption = await runExample('demo', {}, ['--html']);
  expect(badOption.code).toBe(2);
  expect(badOption.stderr).toContain('--html needs a file name');
});

it('sends the same spans to a collector when OTEL_EXPORTER_OTLP_ENDPOINT is set, and still shows them', async () => {
  const receiver = await OtlpReceiver.start();
  try {
    const run = await runExample('demo', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url.replace('/v1/traces', '') }, ['user-cache']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/user_cache\.get_user .*\[main\]/);
    expect(receiver.named('user_cache.get_user')).toHaveLength(2);
    expect(receiver.spans[0]!.resource['service.name']).toBe('worker-otp-demo');
  } finally {
    await receiver.close();
  }
});
