/**
 * Build step after `tsc`: what worker threads load, made into single files, since every
 * module a thread loads delays its start.
 * - dist/vendor/: @opentelemetry/api and @opentelemetry/context-async-hooks, each trimmed
 *   to what propagation/opentelemetry.ts takes from it (from the packages' ES module
 *   builds, which a bundler can trim); see that module for why.
 * - dist/workers/thread-runtime.js: the worker runtime and everything of ours it imports,
 *   vendored builds included, bundled from the TypeScript sources in place of the compiled
 *   module (packages stay external).
 */
const { build } = require('esbuild');
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const ROOT = join(__dirname, '..');
const VENDOR = join(ROOT, 'dist', 'vendor');
const CONTEXT_MANAGER_EXPORTS = new Set(['AsyncLocalStorageContextManager']);
/** The versions vendored, written to dist/vendor/versions.json for threads to compare with the application's. */
const versions = {};

/** The package's manifest, found above its entry point (its `exports` hide package.json). */
function manifest(name) {
  for (let directory = dirname(require.resolve(name)); directory !== dirname(directory); directory = dirname(directory)) {
    try {
      const found = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
      if (found.name === name) return found;
    } catch {
      // no package.json at this level
    }
  }
  throw new Error(`no package.json for ${name}`);
}

function bundle(name, names, outfile, plugins = []) {
  const { version, license } = manifest(name);
  versions[name] = version;
  return build({
    stdin: { contents: `export { ${names.join(', ')} } from '${name}';`, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    outfile: join(VENDOR, outfile),
    banner: { js: `/* ${name} ${version} (${license}, https://github.com/open-telemetry/opentelemetry-js): the exports worker-otp uses, bundled by its build. */` },
    plugins,
  });
}

/** The context manager's build takes the API from the vendored build beside it. */
const apiBeside = {
  name: 'api-beside',
  setup(builder) {
    builder.onResolve({ filter: /^@opentelemetry\/api$/ }, () => ({ path: './opentelemetry-api.js', external: true }));
  },
};

/** The sources' `../vendor/*.js` are the builds made above, in dist/. */
const vendorBuilds = {
  name: 'vendor-builds',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.\/vendor\// }, (args) => ({ path: join(VENDOR, args.path.slice('../vendor/'.length)) }));
  },
};

async function main() {
  // The names propagation/opentelemetry.ts takes from the API: `export const { ... } = api;`.
  const source = readFileSync(join(ROOT, 'propagation', 'opentelemetry.ts'), 'utf8');
  const taken = /export const \{([^}]*)\} = api;/.exec(source);
  if (!taken) throw new Error('propagation/opentelemetry.ts no longer has `export const { ... } = api;`');
  const used = taken[1].split(',').map((name) => name.trim()).filter(Boolean);
  await bundle('@opentelemetry/api', used, 'opentelemetry-api.js');
  await bundle('@opentelemetry/context-async-hooks', [...CONTEXT_MANAGER_EXPORTS], 'opentelemetry-context-async-hooks.js', [apiBeside]);
  writeFileSync(join(VENDOR, 'versions.json'), `${JSON.stringify(versions, null, 2)}\n`);
  await build({
    // From the TypeScript sources: ES modules are hoisted into one scope (no module
    // wrappers to run at load), and the source map points at the sources.
    entryPoints: [join(ROOT, 'workers', 'thread-runtime.ts')],
    outfile: join(ROOT, 'dist', 'workers', 'thread-runtime.js'),
    allowOverwrite: true,
    sourcemap: true,
    // Error classes are rebuilt across threads by their names: keep every name as written.
    keepNames: true,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    plugins: [vendorBuilds],
  });
}

main().catch((error) => {
  process.exitCode = 1;
  console.error(error);
});
