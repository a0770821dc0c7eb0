/**
 * Application modules in process threads: CommonJS through `require`, ES modules through
 * `import()`, whichever way the module hands over its GenServer or task functions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TaskSupervisor, startGenServer, taskRef } from '../../dist';
import type BothEntries from '../../dist/tests/fixtures/both-entries-server';
import { fixturePath } from '../../dist/tests/support/fixtures';

const WORKERS_URL = pathToFileURL(join(__dirname, '..', '..', 'dist', 'workers', 'index.js')).href;
const WORKERS_PATH = join(__dirname, '..', '..', 'dist', 'workers', 'index.js');
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'worker-otp-modules-'));
  const handlers = `{ init: (start) => ({ ok: start }), handleCall: (request, _from, state) => ({ reply: [state, request], state }) }`;
  writeFileSync(join(directory, 'esm-server.mjs'), `import { defineGenServer } from '${WORKERS_URL}';\nexport default defineGenServer(${handlers});\n`);
  writeFileSync(join(directory, 'cjs-server.js'), `const { defineGenServer } = require(${JSON.stringify(WORKERS_PATH)});\nmodule.exports = defineGenServer(${handlers});\n`);
  writeFileSync(join(directory, 'esm-tasks.mjs'), 'export const double = (x) => 2 * x;\n');
  writeFileSync(join(directory, 'cjs-tasks.js'), 'module.exports = { triple: (x) => 3 * x };\n');
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

it.each(['esm-server.mjs', 'cjs-server.js'])('starts a GenServer from %s', async (file) => {
  const server = await startGenServer<any>(join(directory, file), 'started');
  try {
    await expect(server.call('ping')).resolves.toEqual(['started', 'ping']);
  } finally {
    await server.stop();
  }
});

it('runs tasks from an ES module and from module.exports', async () => {
  const tasks = TaskSupervisor.start({ name: 'module_tasks', minThreads: 1, maxThreads: 1 });
  try {
    await expect(tasks.async(taskRef<{ double(x: number): number }, 'double'>(join(directory, 'esm-tasks.mjs'), 'double'), 21).await()).resolves.toBe(42);
    await expect(tasks.async(taskRef<{ triple(x: number): number }, 'triple'>(join(directory, 'cjs-tasks.js'), 'triple'), 14).await()).resolves.toBe(42);
  } finally {
    await tasks.shutdown();
  }
});

it('keeps instanceof for worker-otp errors in a module that also imports the main entry', async () => {
  const server = await startGenServer<typeof BothEntries>(fixturePath('both-entries-server'), null);
  try {
    await expect(server.call('call_nobody')).resolves.toEqual({ code: 'ERR_NO_PROCESS', isNoProcessError: true, isWorkerOtpError: true, isOtherClass: false });
  } finally {
    await server.stop();
  }
});
