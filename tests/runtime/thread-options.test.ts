/** What the threads worker-otp starts inherit: the application's node options, less its OpenTelemetry preloads. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadProcessOptions, withoutTelemetryPreloads } from '../../dist/runtime/thread-options';
import { fixturePath } from '../../dist/tests/support/fixtures';

it.each([
  [['--require', '@opentelemetry/auto-instrumentations-node/register'], []],
  [['-r', '@opentelemetry/auto-instrumentations-node/register', '--enable-source-maps'], ['--enable-source-maps']],
  [['--require=@opentelemetry/auto-instrumentations-node/register'], []],
  [['--import', '@opentelemetry/auto-instrumentations-node/register'], []],
  [['--experimental-loader=@opentelemetry/instrumentation/hook.mjs'], []],
  [['--require', '/srv/app/node_modules/@opentelemetry/auto-instrumentations-node/build/src/register.js'], []],
  [['--import', 'tsx', '--require', './tracing.js'], ['--import', 'tsx', '--require', './tracing.js']],
  [['--max-old-space-size=512', '--require'], ['--max-old-space-size=512', '--require']],
])('%j becomes %j', (args, kept) => {
  expect(withoutTelemetryPreloads(args)).toEqual(kept);
});

it('filters NODE_OPTIONS the same way, keeps the rest of the environment, and disables any SDK a preload of the app starts', () => {
  const saved = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = '--max-old-space-size=512 --require @opentelemetry/auto-instrumentations-node/register --require "/srv/my app/hooks.js"';
  try {
    const { env } = threadProcessOptions();
    expect(env.NODE_OPTIONS).toBe('--max-old-space-size=512 --require "/srv/my app/hooks.js"');
    expect(env.OTEL_SDK_DISABLED).toBe('true');
    expect(env.PATH).toBe(process.env.PATH);
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
  }
});

it.each([
  ['with an OpenTelemetry preload left out', true],
  ['with nothing left out', false],
])('an app run with process-wide flags (--expose-gc, --max-old-space-size) starts GenServers, %s', (_label, preload) => {
  const directory = mkdtempSync(join(tmpdir(), 'worker-otp-flags-'));
  try {
    const preloadPath = join(directory, 'node_modules', '@opentelemetry', 'noop-preload', 'index.js');
    mkdirSync(join(preloadPath, '..'), { recursive: true });
    writeFileSync(preloadPath, 'globalThis.preloaded = true;\n');
    const app = `
      const { startGenServer } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist'))});
      startGenServer(${JSON.stringify(fixturePath('edge-server'))}, {})
        .then(async (server) => { console.log(await server.call({ type: 'echo', value: 'answered' })); await server.stop(); })
        .catch((error) => { console.error(error); process.exitCode = 1; });`;
    const flags = ['--expose-gc', '--max-old-space-size=256', ...(preload ? ['--require', preloadPath] : [])];
    const run = spawnSync(process.execPath, [...flags, '-e', app], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('answered');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
