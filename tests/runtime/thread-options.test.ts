/** What the threads worker-otp starts inherit: the application's node options, less its OpenTelemetry preloads. */
import { threadProcessOptions, withoutTelemetryPreloads } from '../../dist/runtime/thread-options';

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
