/**
 * Type-level tests of the public generics. The `@ts-expect-error` lines are checked by
 * `tsc -p tsconfig.test.json` (part of `npm test`): if a line stopped being an error,
 * the type check would fail.
 */
import { defineGenServer, startGenServer, stop, type CallOf, type GenServer, type InitArgOf, type ReplyOf, type StateOf } from '../../dist';

const definition = defineGenServer<{ state: { count: number }; call: { type: 'get' } | { type: 'add'; by: number }; cast: { type: 'reset' }; info: 'tick'; reply: number; initArg: { start: number } }>({
  init: (arg) => ({ ok: { count: arg.start } }),
  handleCall: (request, _from, state) =>
    request.type === 'get' ? { reply: state.count, state } : { reply: state.count + request.by, state: { count: state.count + request.by } },
  handleCast: (_message, _state) => ({ noreply: true, state: { count: 0 } }),
  handleInfo: (_message, state) => ({ noreply: true, state }),
});

type Definition = typeof definition;

// Accessors recover what the definition was made with.
const state: StateOf<Definition> = { count: 1 };
const request: CallOf<Definition> = { type: 'add', by: 2 };
const answer: ReplyOf<Definition> = 3;
const initArg: InitArgOf<Definition> = { start: 1 };

// What the map leaves out takes its default: no calls, no casts, no info, an unknown reply, no init argument.
const minimal = defineGenServer<{ state: string[] }>({ init: () => ({ ok: [] }) });
// @ts-expect-error a definition without `call` in its map accepts no call
const noCall: CallOf<typeof minimal> = 'anything';
const noInitArg: InitArgOf<typeof minimal> = undefined;

/** Starting checks the init argument against the definition. */
async function startChecked(path: string): Promise<void> {
  await startGenServer<Definition>(path, { start: 0 });
  // @ts-expect-error init takes { start: number }
  await startGenServer<Definition>(path, { begin: 0 });
}

/** Stop reasons are plain data: symbols and functions cannot cross a thread. */
async function stopReasons(pid: { pid: number }): Promise<void> {
  await stop(pid, 'normal');
  await stop(pid, { shutdown: 'maintenance' });
  await stop(pid, new Error('gave up'));
  await stop(pid, { code: 42, retry: false });
  // @ts-expect-error a symbol is not a stop reason
  await stop(pid, Symbol('why'));
  // @ts-expect-error a function is not a stop reason
  await stop(pid, () => 'why');
}

// @ts-expect-error a call the definition does not accept
const badRequest: CallOf<Definition> = { type: 'multiply' };

defineGenServer<{ state: { count: number }; call: { type: 'get' }; reply: number }>({
  init: () => ({ ok: { count: 0 } }),
  // @ts-expect-error handleCall must reply with the Reply type
  handleCall: (_request, _from, s) => ({ reply: 'not a number', state: s }),
});

defineGenServer<{ state: { count: number }; cast: { type: 'reset' } }>({
  init: () => ({ ok: { count: 0 } }),
  // @ts-expect-error handleCast cannot reply
  handleCast: (_message, s) => ({ reply: 1, state: s }),
});

/** A client is typed by the definition; these lines only need to type-check. */
function useClient(client: GenServer<Definition>): void {
  const reply: Promise<number> = client.call({ type: 'get' });
  client.cast({ type: 'reset' });
  client.send('tick');
  // @ts-expect-error casts take the Cast type
  client.cast({ type: 'get' });
  // @ts-expect-error plain messages take the Info type
  client.send('tock');
  void reply;
}

it('defineGenServer returns a frozen, marked definition with the callbacks given', () => {
  expect(Object.isFrozen(definition)).toBe(true);
  expect(definition.init({ start: 5 })).toEqual({ ok: { count: 5 } });
  expect(() => defineGenServer({} as never)).toThrow(/needs an object with an init function/);
  void [minimal, state, request, answer, initArg, badRequest, noCall, noInitArg, startChecked, stopReasons, useClient];
});
