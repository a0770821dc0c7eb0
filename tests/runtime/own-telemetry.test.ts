/**
 * worker-otp's own telemetry in programs of their own (it registers process-wide state):
 * what a program that never calls shutdown() recorded is still exported; OTEL_SDK_DISABLED
 * turns it off; and an application that already runs an SDK is refused with advice.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { OtlpReceiver } from '../../dist/tests/support/otlp-receiver';

const PROGRAM = join(__dirname, '..', '..', 'dist', 'tests', 'fixtures', 'apps', 'own-telemetry.js');

function run(ownCase: string, env: NodeJS.ProcessEnv = {}): Promise<{ output: Record<string, unknown>; stderr: string }> {
  // Asynchronously: the receiver runs in this process.
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PROGRAM], { env: { ...process.env, ...env, OWN_CASE: ownCase }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`exit ${code}: ${stderr}`));
      else resolve({ output: JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>, stderr });
    });
  });
}

it('exports what a program recorded when it ends without calling shutdown()', async () => {
  const receiver = await OtlpReceiver.start();
  try {
    const { output } = await run('no-shutdown', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });
    expect(output).toEqual({ done: true });
    const request = receiver.only('app.request');
    const handled = receiver.spans.find((span) => span.name === 'cache.handle_call');
    expect(handled?.traceId).toBe(request.traceId);
    expect(request.resource['service.name']).toBe('no-shutdown-app');
  } finally {
    await receiver.close();
  }
});

it('records and registers nothing with OTEL_SDK_DISABLED=true', async () => {
  const { output } = await run('disabled', { OTEL_SDK_DISABLED: 'true' });
  expect(output).toEqual({ disabled: true, registered: false });
});

it('refuses to start over an SDK the application registered, saying what to do instead', async () => {
  const { output } = await run('sdk-first');
  expect(output).toEqual(expect.objectContaining({ refused: true, code: 'ERR_TELEMETRY_CONFLICT' }));
  expect(output.message).toMatch(/remove startTelemetry\(\): worker-otp joins your SDK by itself/);
});


