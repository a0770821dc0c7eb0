/** The OpenTelemetry API as worker-otp loads it, and the scope its own spans carry. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION } from '../../dist/propagation/opentelemetry';

it('names its spans\' scope after the package, at the package\'s version', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { name: string; version: string };
  expect([INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION]).toEqual([manifest.name, manifest.version]);
});
