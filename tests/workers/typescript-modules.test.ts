/**
 * TypeScript modules: without a loader, a `.ts` GenServer or task fails with an error
 * that says what to do; under a TypeScript loader (tsx), which the threads inherit, they
 * run as they are.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartError, TaskModuleError, TaskSupervisor, startGenServer, taskRef } from '../../dist';

const ROOT = join(__dirname, '..', '..');
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'worker-otp-ts-'));
  const workers = JSON.stringify(join(ROOT, 'dist', 'workers', 'index.js'));
  const main = JSON.stringify(join(ROOT, 'dist', 'index.js'));
  writeFileSync(
    join(directory, 'greeter.ts'),
    `import { defineGenServer } from ${workers};\n` +
      `type Greeting = { readonly name: string };\n` +
      `export default defineGenServer<{ state: string; call: Greeting; reply: string }>({\n` +
      `  init: () => ({ ok: 'hello' }),\n` +
      `  handleCall: (request: Greeting, _from, state: string) => ({ reply: \`\${state} \${request.name}\`, state }),\n` +
      `});\n`,
  );
  writeFileSync(join(directory, 'tasks.ts'), `export function shout(text: string): string {\n  const loud: string = text.toUpperCase();\n  return loud;\n}\n`);
  writeFileSync(
    join(directory, 'app.ts'),
    `import { TaskSupervisor, startGenServer, taskRef } from ${main};\n` +
      `async function main(): Promise<void> {\n` +
      `  const greeter = await startGenServer(require.resolve('./greeter.ts'), undefined);\n` +
      `  const tasks = TaskSupervisor.start({ name: 'ts_tasks', maxThreads: 1 });\n` +
      `  const shout = taskRef<{ shout(text: string): string }, 'shout'>(require.resolve('./tasks.ts'), 'shout');\n` +
      `  console.log(JSON.stringify([await greeter.call({ name: 'ts' }), await tasks.async(shout, 'loud').await()]));\n` +
      `  await greeter.stop();\n` +
      `  await tasks.shutdown();\n` +
      `}\n` +
      `void main();\n`,
  );
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

it('without a loader: a .ts GenServer fails to start, saying to compile it or run with a loader', async () => {
  const failure = startGenServer(join(directory, 'greeter.ts'), undefined);
  await expect(failure).rejects.toBeInstanceOf(StartError);
  await expect(failure).rejects.toMatchObject({ code: 'ERR_MODULE_LOAD', message: expect.stringMatching(/It is TypeScript: give the compiled \.js file, or run the application with a TypeScript loader/) });
});

it('without a loader: a .ts task fails with the same advice', async () => {
  const tasks = TaskSupervisor.start({ name: 'ts_plain', maxThreads: 1 });
  try {
    const shout = taskRef<{ shout(text: string): string }, 'shout'>(join(directory, 'tasks.ts'), 'shout');
    const failure = tasks.async(shout, 'x').await();
    await expect(failure).rejects.toBeInstanceOf(TaskModuleError);
    await expect(failure).rejects.toThrow(/It is TypeScript/);
  } finally {
    await tasks.shutdown();
  }
});

it('under tsx, the threads inherit the loader: .ts GenServers and tasks run as they are', async () => {
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(directory, 'app.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual(['hello ts', 'LOUD']);
});
