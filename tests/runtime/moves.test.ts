/**
 * Zero-copy payloads on real threads: what `move` marks is transferred (the receiver gets
 * the same bytes, the sender's buffer is detached) through call, cast, reply, a call
 * between processes, task arguments, task results and map items; what cannot be sent
 * gives a typed error and the process goes on.
 */
import { PayloadNotCloneableError, TaskSupervisor, move, startGenServer, taskRef, type GenServer } from '../../dist';
import type Edge from '../../dist/tests/fixtures/edge-server';
import type * as Tasks from '../../dist/tests/fixtures/tasks';
import { fixturePath } from '../../dist/tests/support/fixtures';

const ITEMS = 1_000_000;
const ramp = () => Float64Array.from({ length: ITEMS }, (_, index) => index);
const RAMP_SUM = (ITEMS * (ITEMS - 1)) / 2;
let server: GenServer<typeof Edge>;
let pool: TaskSupervisor;
const tasks = <K extends keyof typeof Tasks & string>(name: K) => taskRef<typeof Tasks, K>(fixturePath('tasks'), name);

beforeAll(async () => {
  server = await startGenServer<typeof Edge>(fixturePath('edge-server'), {}, { name: 'mover' });
  pool = TaskSupervisor.start({ name: 'moves', maxThreads: 2 });
});
afterAll(async () => {
  await server.stop();
  await pool.shutdown();
});

it('a call moves its payload: the process sums the same values, the caller\'s buffer is detached', async () => {
  const data = ramp();
  await expect(server.call({ type: 'sum', data: move(data) })).resolves.toMatchObject({ sum: RAMP_SUM, length: ITEMS });
  expect(data.length).toBe(0);
  expect(data.buffer.byteLength).toBe(0);
});

it('a copied call leaves the caller\'s buffer as it was', async () => {
  const data = ramp();
  await expect(server.call({ type: 'sum', data })).resolves.toMatchObject({ sum: RAMP_SUM });
  expect(data.length).toBe(ITEMS);
});

it('a reply moves back: the process returns move(data) and the caller gets the same values', async () => {
  const data = ramp();
  const bounced = (await server.call({ type: 'bounce', data: move(data) })) as Float64Array;
  // (Arrived from another thread: a Float64Array of the main realm, not of jest's sandbox.)
  expect(Object.prototype.toString.call(bounced)).toBe('[object Float64Array]');
  expect(bounced.length).toBe(ITEMS);
  expect(bounced[ITEMS - 1]).toBe(ITEMS - 1);
});

it('a cast moves its payload', async () => {
  const data = ramp();
  server.cast({ type: 'keep', data: move(data) });
  expect(data.length).toBe(0);
  await expect(server.call({ type: 'sum', data: new Float64Array(0) })).resolves.toMatchObject({ kept: RAMP_SUM });
});

it('a call between processes moves through the main thread', async () => {
  const relay = await startGenServer<typeof Edge>(fixturePath('edge-server'), {});
  try {
    const answer = await relay.call({ type: 'relay', target: 'mover', data: move(ramp()) });
    expect(answer).toMatchObject({ answer: { sum: RAMP_SUM, length: ITEMS }, lengthAfter: 0 });
  } finally {
    await relay.stop();
  }
});

it('task arguments and results move, and map items too', async () => {
  const data = ramp();
  await expect(pool.async(tasks('sumBuffer'), move(data)).await()).resolves.toEqual({ sum: RAMP_SUM, length: ITEMS });
  expect(data.length).toBe(0);
  const back = await pool.async(tasks('bounceBuffer'), move(ramp())).await();
  expect(back[ITEMS - 1]).toBe(ITEMS - 1);
  const made = await pool.async(tasks('ones'), 1000).await();
  expect(made.reduce((total, value) => total + value, 0)).toBe(1000);
  const items = [ramp(), ramp()];
  const sums = await pool.map(items.map((item) => move(item)), tasks('sumBuffer'), { chunkSize: 1 });
  expect(sums).toEqual([{ sum: RAMP_SUM, length: ITEMS }, { sum: RAMP_SUM, length: ITEMS }]);
  expect(items.map((item) => item.length)).toEqual([0, 0]);
});

it('a buffer moved away already, or a payload that cannot be cloned, fails with a typed error and the process goes on', async () => {
  const data = ramp();
  await server.call({ type: 'sum', data: move(data) });
  await expect(server.call({ type: 'sum', data })).rejects.toBeInstanceOf(PayloadNotCloneableError);
  // Moved again: Node would post it and never deliver it; worker-otp refuses it.
  await expect(server.call({ type: 'sum', data: move(data) }, { timeoutMs: 2000 })).rejects.toBeInstanceOf(PayloadNotCloneableError);
  expect(() => server.cast({ type: 'keep', data: move(data) })).toThrow(PayloadNotCloneableError);
  await expect(server.call({ type: 'sum', data: move({ fn: () => 1 }) as never })).rejects.toBeInstanceOf(PayloadNotCloneableError);
  await expect(pool.async(tasks('sumBuffer'), data).await()).rejects.toBeInstanceOf(PayloadNotCloneableError);
  await expect(server.call({ type: 'sum', data: Float64Array.of(1, 2) })).resolves.toMatchObject({ sum: 3 });
});
