/**
 * worker-otp as users get it: the packed tarball (what `npm publish` would upload),
 * installed with npm into a fresh project, and used from TypeScript CommonJS (node10 and
 * node16 resolution), TypeScript ESM (nodenext) and plain JavaScript ESM, each compiled
 * with `skipLibCheck: false` and run: a GenServer from a compiled module, a call, a `map`
 * over a TaskSupervisor, everything stopped.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const PROJECTS = join(__dirname, 'projects');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const EXPECTED = { total: 42, squares: [1, 4, 9], errors: 'function' };

let base: string;
let packed: string[];

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'worker-otp-consumers-'));
  // `npm test` has just built dist/: pack it as it is (prepare would build it again).
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', base], { cwd: ROOT, encoding: 'utf8' })) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  packed = pack!.files.map((file) => file.path);
  writeFileSync(
    join(base, 'package.json'),
    JSON.stringify({ name: 'consumers', private: true, dependencies: { 'worker-otp': `file:./${pack!.filename}`, '@opentelemetry/api': '~1.9.1' } }),
  );
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: base, timeout: 240_000, stdio: 'pipe' });
}, 300_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A project folder in the install, from the given source folders (later ones win). */
function project(name: string, ...sources: string[]): string {
  const directory = join(base, name);
  mkdirSync(directory, { recursive: true });
  for (const source of sources) for (const file of readdirSync(join(PROJECTS, source))) copyFileSync(join(PROJECTS, source, file), join(directory, file));
  return directory;
}

function compile(directory: string, tsconfig = 'tsconfig.json'): void {
  execFileSync(process.execPath, [TSC, '-p', join(directory, tsconfig), '--typeRoots', join(ROOT, 'node_modules', '@types')], { cwd: directory, encoding: 'utf8', stdio: 'pipe' });
}

function run(directory: string, script: string): unknown {
  return JSON.parse(execFileSync(process.execPath, [script], { cwd: directory, encoding: 'utf8', timeout: 60_000 }));
}

it('ships what runs, and nothing else: no tests, examples, bench or TypeScript sources', () => {
  for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts', 'dist/esm/index.mjs', 'dist/esm/index.d.mts', 'dist/esm/workers.mjs', 'dist/esm/cluster.mjs', 'dist/cluster/index.js', 'dist/cluster/index.d.ts', 'dist/workers/index.js', 'dist/workers/thread-runtime.js', 'dist/workers/gen-server-thread.js', 'dist/workers/task-thread.js', 'dist/vendor/opentelemetry-api.js']) {
    expect(packed).toContain(file);
  }
  expect(packed.filter((file) => /^dist\/(tests|bench|examples)\//.test(file))).toEqual([]);
  expect(packed.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  expect(packed.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(file))).toEqual([]);
});

it('installs with its one runtime dependency and the API it shares with the app', () => {
  const installed = readdirSync(join(base, 'node_modules')).filter((name) => !name.startsWith('.'));
  expect(installed).toEqual(expect.arrayContaining(['worker-otp', 'piscina', '@opentelemetry']));
  expect(readdirSync(join(base, 'node_modules', '@opentelemetry'))).toEqual(['api']);
});

it.each(['node10', 'node16'])('TypeScript CommonJS with %s resolution', (resolution) => {
  const directory = project(`ts-cjs-${resolution}`, 'shared', 'ts-cjs');
  compile(directory, `tsconfig.${resolution}.json`);
  expect(run(directory, 'out/main.js')).toEqual(EXPECTED);
});

it('TypeScript ES modules with nodenext resolution, modules named by import.meta URLs', () => {
  const directory = project('ts-esm', 'shared', 'ts-esm');
  compile(directory);
  expect(run(directory, 'out/main.js')).toEqual(EXPECTED);
});

it('plain JavaScript ES modules', () => {
  const directory = project('js-esm', 'js-esm');
  expect(run(directory, 'main.js')).toEqual(EXPECTED);
});

it('worker-otp/cluster loads without the NATS client (an optional peer) and says what to install when a node starts', () => {
  const script = (load: string) =>
    `${load}.then(({ startNode }) => startNode({ name: 'a' })).then(() => console.log('started'), (error) => console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message })))`;
  for (const load of ["Promise.resolve(require('worker-otp/cluster'))", "import('worker-otp/cluster')"]) {
    const output = execFileSync(process.execPath, ['-e', script(load)], { cwd: base, encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(output)).toEqual({
      name: 'ClusterError',
      code: 'ERR_NATS_NOT_INSTALLED',
      message: expect.stringContaining('npm install @nats-io/transport-node @nats-io/jetstream @nats-io/kv'),
    });
  }
});

it('installs beside the Node SDK (npm resolves its peer ranges), records its metrics into the SDK\'s reader, and serves the live view, in an ES module app', () => {
  const directory = project('sdk-esm', 'sdk-esm');
  const tarball = readdirSync(base).find((file) => file.endsWith('.tgz'))!;
  writeFileSync(
    join(directory, 'package.json'),
    JSON.stringify({
      name: 'sdk-esm',
      private: true,
      type: 'module',
      dependencies: {
        'worker-otp': `file:../${tarball}`,
        '@opentelemetry/api': '~1.9.1',
        '@opentelemetry/sdk-node': '^0.223.0',
        '@opentelemetry/sdk-metrics': '^2.12.0',
        '@opentelemetry/sdk-trace-base': '^2.12.0',
      },
    }),
  );
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: directory, timeout: 240_000, stdio: 'pipe' });
  expect(run(directory, 'main.js')).toEqual({
    total: 42,
    processes: 1,
    metrics: expect.arrayContaining(['worker_otp.process.count', 'worker_otp.process.message.duration', 'worker_otp.thread.event_loop.utilization']),
  });
}, 300_000);
