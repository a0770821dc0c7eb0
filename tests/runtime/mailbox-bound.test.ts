/**
 * maxMailbox: a process fed faster than it serves pushes back with MailboxFullError, from
 * the main thread and from other processes, and loses nothing it accepted.
 */
import { MailboxFullError, startGenServer, type GenServer } from '../../dist';
import type Counter from '../../dist/tests/fixtures/counter-server';
import type Edge from '../../dist/tests/fixtures/edge-server';
import { fixturePath } from '../../dist/tests/support/fixtures';

const running: Array<GenServer<typeof Edge> | GenServer<typeof Counter>> = [];
afterEach(() => Promise.all(running.splice(0).map((server) => server.kill())));

async function startEdge(maxMailbox: number, name?: string): Promise<GenServer<typeof Edge>> {
  const server = await startGenServer<typeof Edge>(fixturePath('edge-server'), {}, { maxMailbox, ...(name ? { name } : {}) });
  running.push(server);
  return server;
}

it('accepts up to maxMailbox waiting messages, refuses the rest at once with MailboxFullError, and serves every accepted one', async () => {
  const server = await startEdge(3);
  // Holds the mailbox for a while: what comes next waits.
  const busy = server.call({ type: 'sleep', ms: 300 });
  const burst = Array.from({ length: 20 }, (_, index) => server.call({ type: 'echo', value: index }));
  const outcomes = await Promise.allSettled([busy, ...burst]);
  const served = outcomes.filter((outcome) => outcome.status === 'fulfilled');
  const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as MailboxFullError] : []));
  // The burst leaves in one turn of the main thread, while the process takes at most the
  // sleep: three wait beside it, or two beside it if it was not taken yet.
  expect(served.length).toBeGreaterThanOrEqual(3);
  expect(served.length).toBeLessThanOrEqual(4);
  expect(refused).toHaveLength(21 - served.length);
  for (const error of refused) {
    expect(error).toBeInstanceOf(MailboxFullError);
    expect(error).toMatchObject({ code: 'ERR_MAILBOX_FULL', maxMailbox: 3, message: expect.stringContaining('is full (maxMailbox 3)') });
  }
  // Once served, the mailbox takes messages again.
  await expect(server.call({ type: 'echo', value: 'after' })).resolves.toBe('after');
});

it('a cast or send from the main thread to a full mailbox throws, and nothing is sent', async () => {
  const server = await startEdge(2);
  const busy = server.call({ type: 'sleep', ms: 300 });
  let thrown: unknown;
  let accepted = 0;
  for (let index = 0; index < 10 && thrown === undefined; index++) {
    try {
      server.cast({ type: 'sleep', ms: 0 });
      accepted += 1;
    } catch (error) {
      thrown = error;
    }
  }
  expect(thrown).toBeInstanceOf(MailboxFullError);
  expect(accepted).toBeGreaterThanOrEqual(1);
  expect(accepted).toBeLessThanOrEqual(2);
  await busy;
  // The casts it accepted are taken just after the sleep's reply left: until then (a few
  // microseconds, longer on a loaded machine) the mailbox is still full, legitimately.
  await expect(whenRoom(() => server.call({ type: 'echo', value: 'served' }))).resolves.toBe('served');
  expect(server.alive).toBe(true);
});

/** `send()`'s result, retried on the next turns of the event loop while the mailbox is full (within 5 s). */
async function whenRoom<T>(send: () => Promise<T>): Promise<T> {
  const deadline = performance.now() + 5000;
  for (;;) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof MailboxFullError) || performance.now() > deadline) throw error;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

it('a call from another process to a full mailbox fails in that process with MailboxFullError', async () => {
  const target = await startEdge(1, 'bounded_target');
  // Two callers: a process serves one call at a time, so one caller would send its second only after its first.
  const callers = await Promise.all([1, 2].map(() => startGenServer<typeof Counter>(fixturePath('counter-server'), undefined)));
  running.push(...callers);
  // Holds the mailbox well past the forwarded calls' way through the callers' threads.
  void target.call({ type: 'sleep', ms: 3000 }).catch(() => undefined);
  const forwarded = await Promise.all(
    callers.map((caller, index) => caller.call({ type: 'forward', target: 'bounded_target', request: { type: 'echo', value: index } })),
  );
  // The mailbox holds one waiting message: of the two forwarded calls, one got in at most.
  const refusals = forwarded.filter((answer) => (answer as { code?: string }).code === 'ERR_MAILBOX_FULL');
  expect(refusals.length).toBeGreaterThanOrEqual(1);
  expect(refusals[0]).toMatchObject({ failed: 'MailboxFullError' });
});

it('rejects a bad maxMailbox, naming it', async () => {
  await expect(startGenServer(fixturePath('edge-server'), {}, { maxMailbox: 0 })).rejects.toThrow('options.maxMailbox must be an integer >= 1, or Infinity; got 0');
  await expect(startGenServer(fixturePath('edge-server'), {}, { maxMailbox: 2.5 })).rejects.toThrow(RangeError);
});
