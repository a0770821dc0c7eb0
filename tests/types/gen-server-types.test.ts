/**
 * Type-level tests of the public generics. The `@ts-expect-error` lines are checked by
 * `tsc -p tsconfig.test.json` (part of `npm test`): if a line stopped being an error,
 * the type check would fail.
 */
import { defineGenServer, type CallOf, type GenServer, type ReplyOf, type StateOf } from '../../dist';

const definition = defineGenServer<{ count: number }, { type: 'get' } | { type: 'add'; by: number }, { type: 'reset' }, 'tick', number, { start: number }>({
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

// @ts-expect-error a call the definition does not accept
const badRequest: CallOf<Definition> = { type: 'multiply' };

defineGenServer<{ count: number }, { type: 'get' }, never, never, number>({
  init: () => ({ ok: { count: 0 } }),
  // @ts-expect-error handleCall must reply with the Reply type
  handleCall: (_request, _from, s) => ({ reply: 'not a number', state: s }),
});

defineGenServer<{ count: number }, never, { type: 'reset' }>({
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
  void [state, request, answer, badRequest, useClient];
});
