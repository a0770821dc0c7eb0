/**
 * Calls by registered name are typed once the application lists its names (declaration
 * merging), from the main thread and inside processes; unlisted names and pids stay
 * untyped. The `@ts-expect-error` lines are checked by `tsc -p tsconfig.test.json`; the
 * test then makes the typed calls for real.
 */
import { call, cast, send, startGenServer } from '../../dist';
import { call as callFromProcess } from '../../dist/workers';
import type Counter from '../../dist/tests/fixtures/counter-server';
import { fixturePath } from '../../dist/tests/support/fixtures';

declare module '../../dist' {
  interface RegisteredNames {
    typed_counter: typeof Counter;
  }
}

/** These lines only need to type-check. */
function typedByName(): void {
  const value: Promise<unknown> = call('typed_counter', { type: 'echo', value: 1 });
  // @ts-expect-error not a request the counter takes
  void call('typed_counter', { type: 'launch' });
  cast('typed_counter', { type: 'append', value: 'x' });
  // @ts-expect-error not a cast the counter takes
  cast('typed_counter', { type: 'get' });
  send('typed_counter', 'any info');
  // An unlisted name, or a pid, takes anything, as before.
  void call<string>('someone_else', { anything: true });
  void call({ pid: 3 }, 42);
  // A process on another node, by { name, node } or a cluster-wide name: untyped, the reply type given.
  const remote: Promise<string> = call<string>({ name: 'typed_counter', node: 'b' }, { type: 'launch' });
  cast({ global: 'leader' }, { any: 'message' });
  send({ name: 'relay', node: 'c' }, 'info');
  void callFromProcess<number>({ global: 'leader' }, 1);
  // @ts-expect-error a remote reference names its node
  void call({ name: 'typed_counter' }, 1);
  // @ts-expect-error not a process reference at all
  cast({ node: 'b' }, 1);
  void remote;
  // The same inside a process (the interface is one, whichever entry point names it).
  // @ts-expect-error not a request the counter takes
  void callFromProcess('typed_counter', { type: 'launch' });
  void value;
}

it('a call by a listed name reaches the process and answers with its reply type', async () => {
  const counter = await startGenServer<typeof Counter>(fixturePath('counter-server'), undefined, { name: 'typed_counter' });
  try {
    cast('typed_counter', { type: 'append', value: 'x' });
    await expect(call('typed_counter', { type: 'echo', value: 'hello' })).resolves.toBe('hello');
  } finally {
    await counter.stop();
  }
  void typedByName;
});
