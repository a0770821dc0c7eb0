/**
 * Build step after `tsc`: single-file builds of @opentelemetry/api and
 * @opentelemetry/context-async-hooks in dist/vendor/, which worker threads load instead of
 * the packages' many modules (see propagation/opentelemetry.ts for why).
 */
const { build } = require('esbuild');
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const VENDOR = join(__dirname, '..', 'dist', 'vendor');

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

function banner(name) {
  const { version, license } = manifest(name);
  return { js: `/* ${name} ${version} (${license}, https://github.com/open-telemetry/opentelemetry-js), bundled unchanged into one file by worker-otp's build. */` };
}

/** Keeps the API out of the context manager's bundle: it uses the vendored API beside it. */
const apiBeside = {
  name: 'api-beside',
  setup(builder) {
    builder.onResolve({ filter: /^@opentelemetry\/api$/ }, () => ({ path: './opentelemetry-api.js', external: true }));
  },
};

async function main() {
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };
  await build({ ...common, entryPoints: [require.resolve('@opentelemetry/api')], outfile: join(VENDOR, 'opentelemetry-api.js'), banner: banner('@opentelemetry/api') });
  await build({
    ...common,
    entryPoints: [require.resolve('@opentelemetry/context-async-hooks')],
    outfile: join(VENDOR, 'opentelemetry-context-async-hooks.js'),
    banner: banner('@opentelemetry/context-async-hooks'),
    plugins: [apiBeside],
  });
}

main().catch((error) => {
  process.exitCode = 1;
  console.error(error);
});
