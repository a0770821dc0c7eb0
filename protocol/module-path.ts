import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeValue } from '../errors';

/**
 * How a module (a GenServer's, a task's) is named: an absolute path, a `file:` URL as a
 * string or a `URL` (what `import.meta.resolve('./x.js')` and `new URL('./x.js',
 * import.meta.url)` give), or a path relative to the working directory, which is how
 * `new Worker('./x.js')` resolves one too.
 */
export type ModulePath = string | URL;

/** The absolute file path of a module path. A bad value throws a TypeError naming `field`. */
export function toFilePath(modulePath: unknown, field: string): string {
  const url = modulePath instanceof URL ? modulePath : typeof modulePath === 'string' && modulePath.startsWith('file:') ? new URL(modulePath) : undefined;
  if (url !== undefined) {
    if (url.protocol !== 'file:') throw new TypeError(`worker-otp: ${field} must be a file path or a file: URL; got ${url.href}`);
    return fileURLToPath(url);
  }
  if (typeof modulePath !== 'string' || modulePath.length === 0) {
    throw new TypeError(
      `worker-otp: ${field} must name a module file: an absolute path (require.resolve('./x')), a file: URL (import.meta.resolve('./x.js')), or a path relative to the working directory; got ${describeValue(modulePath)}`,
    );
  }
  return resolve(modulePath);
}

/** Whether a module file is there. */
export function moduleExists(filePath: string): boolean {
  return existsSync(filePath);
}
