/**
 * The slot table a TaskSupervisor shares with its threads: whether a task handed to a
 * thread has started is decided by one compare-and-swap, so a cancel and a start can never
 * both win.
 */
import { Worker } from 'node:worker_threads';
import { SLOT_CANCELLED, SLOT_DONE, SLOT_QUEUED, SLOT_RUNNING, TaskSlots } from '../../dist/protocol/task-slots';

it('moves a task from queued to running to done, with the thread that ran it', () => {
  const slots = new TaskSlots(4);
  slots.queue(2);
  expect(slots.state(2)).toBe(SLOT_QUEUED);
  expect(slots.start(2, 17)).toBe(true);
  expect([slots.state(2), slots.runner(2)]).toEqual([SLOT_RUNNING, 17]);
  expect(slots.cancelIfQueued(2)).toBe(false);
  slots.finish(2);
  expect(slots.state(2)).toBe(SLOT_DONE);
});

it('a task cancelled while queued is skipped by the thread', () => {
  const slots = new TaskSlots(1);
  slots.queue(0);
  expect(slots.cancelIfQueued(0)).toBe(true);
  expect(slots.state(0)).toBe(SLOT_CANCELLED);
  expect(slots.start(0, 3)).toBe(false);
});

it('a thread and the main thread racing on every slot: each task either started or was cancelled, never both', async () => {
  const capacity = 20_000;
  const slots = new TaskSlots(capacity);
  for (let slot = 0; slot < capacity; slot++) slots.queue(slot);
  // Both sides start together: the thread waits on a shared flag the main thread raises.
  const go = new Int32Array(new SharedArrayBuffer(4));
  const source = `
    const { workerData, parentPort, threadId } = require('node:worker_threads');
    const cells = new Int32Array(workerData.slots);
    const go = new Int32Array(workerData.go);
    parentPort.postMessage('ready');
    Atomics.wait(go, 0, 0);
    let started = 0;
    for (let slot = 0; slot < cells.length / 2; slot++) {
      Atomics.store(cells, slot * 2 + 1, threadId);
      if (Atomics.compareExchange(cells, slot * 2, ${SLOT_QUEUED}, ${SLOT_RUNNING}) === ${SLOT_QUEUED}) started++;
    }
    parentPort.postMessage(started);`;
  const worker = new Worker(source, { eval: true, workerData: { slots: slots.buffer, go: go.buffer } });
  const messages: unknown[] = [];
  const next = () => new Promise<unknown>((resolve) => worker.once('message', resolve));
  messages.push(await next());
  const startedByThread = next() as Promise<number>;
  Atomics.store(go, 0, 1);
  Atomics.notify(go, 0);
  let cancelled = 0;
  for (let slot = capacity - 1; slot >= 0; slot--) if (slots.cancelIfQueued(slot)) cancelled++;
  const started = await startedByThread;
  await worker.terminate();
  expect(messages).toEqual(['ready']);
  expect(started + cancelled).toBe(capacity);
  for (let slot = 0; slot < capacity; slot++) expect([SLOT_RUNNING, SLOT_CANCELLED]).toContain(slots.state(slot));
});
