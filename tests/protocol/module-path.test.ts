/**
 * How modules are named: absolute paths, file: URLs as strings or URL objects (what
 * import.meta.resolve and new URL(..., import.meta.url) give), and paths relative to the
 * working directory, for GenServers, child specs and tasks.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Supervisor, TaskSupervisor, call, startGenServer, taskRef, workerChild } from '../../dist';
import { toFilePath } from '../../dist/protocol/module-path';
import type * as Tasks from '../../dist/tests/fixtures/tasks';
import { fixturePath } from '../../dist/tests/support/fixtures';

const server = fixturePath('counter-server');

it.each([
  ['an absolute path', server, server],
  ['a file: URL string', pathToFileURL(server).href, server],
  ['a URL object', pathToFileURL(server), server],
  ['a path relative to the working directory', 'x/y.js', resolve(process.cwd(), 'x/y.js')],
])('reads %s', (_label, given, expected) => {
  expect(toFilePath(given, 'modulePath')).toBe(expected);
});

it.each([
  ['an http URL', new URL('https://example.com/server.js'), /must be a file path or a file: URL; got https:\/\/example\.com\/server\.js/],
  ['an empty string', '', /must name a module file: an absolute path \(require\.resolve\('\.\/x'\)\), a file: URL \(import\.meta\.resolve/],
  ['a number', 42, /must name a module file/],
])('refuses %s, saying what to pass', (_label, given, message) => {
  expect(() => toFilePath(given, 'modulePath')).toThrow(message);
});

it('starts a GenServer, a supervised child and a task from URLs', async () => {
  const fromUrl = await startGenServer(pathToFileURL(server), undefined);
  const fromString = await startGenServer(pathToFileURL(server).href, undefined);
  const supervisor = await Supervisor.start([workerChild('child', pathToFileURL(server), undefined, { name: 'url_child' })]);
  const tasks = TaskSupervisor.start({ name: 'url_tasks', minThreads: 1, maxThreads: 1 });
  try {
    await expect(fromUrl.call({ type: 'echo', value: 1 })).resolves.toBe(1);
    await expect(fromString.call({ type: 'echo', value: 2 })).resolves.toBe(2);
    await expect(call('url_child', { type: 'echo', value: 3 })).resolves.toBe(3);
    const add = taskRef<typeof Tasks, 'add'>(new URL(pathToFileURL(join(fixturePath('tasks')))), 'add');
    expect(add.module).toBe(fixturePath('tasks'));
    await expect(tasks.async(add, 2, 3).await()).resolves.toBe(5);
  } finally {
    await Promise.all([fromUrl.stop(), fromString.stop(), supervisor.stop(), tasks.shutdown()]);
  }
});
