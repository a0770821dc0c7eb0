/**
 * Loads an application module (a GenServer's, a task's) in a process thread: `require`
 * for CommonJS, `import()` for ES modules. In a fresh thread the first `import()` starts
 * the ES module loader, which costs a few milliseconds of every thread's start; CommonJS
 * modules do not need it.
 */
import type * as Url from 'node:url';

/** A module's exports: `module.exports` of CommonJS, the namespace of an ES module. */
export type ModuleExports = Record<string, unknown>;

/* eslint-disable @typescript-eslint/no-require-imports -- loading application modules the way Node would is the point */
export async function loadModule(modulePath: string): Promise<ModuleExports> {
  try {
    return require(modulePath) as ModuleExports;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw error;
  }
  // Loaded here, not at the top: a thread that never imports an ES module skips it.
  const { pathToFileURL } = require('node:url') as typeof Url;
  return (await import(pathToFileURL(modulePath).href)) as ModuleExports;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The export named `name`, wherever the module system put it: on the exports, or on
 * `default` (CommonJS seen through `import()`, or `module.exports = { ... }` with a default).
 */
export function findExport(exports: ModuleExports, name: string): unknown {
  return exports[name] ?? (exports.default as ModuleExports | undefined)?.[name];
}
