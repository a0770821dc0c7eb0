/** Many timeouts on one timer: each fires once, in deadline order, unless cancelled. */
import { DeadlineQueue } from '../../dist/protocol/deadline-queue';

it('fires deadlines of different lengths in deadline order, and never a cancelled one', async () => {
  const queue = new DeadlineQueue();
  const fired: string[] = [];
  const allFired = new Promise<void>((resolve) => {
    const fire = (label: string) => () => {
      fired.push(label);
      if (fired.length === 4) resolve();
    };
    queue.add(40, fire('40a'));
    queue.add(10, fire('10'));
    queue.add(40, fire('cancelled'))!.cancel();
    queue.add(25, fire('25'));
    queue.add(40, fire('40b'));
  });
  await allFired;
  expect(fired).toEqual(['10', '25', '40a', '40b']);
});

it('sets nothing for Infinity, and a cancel after firing does nothing', async () => {
  const queue = new DeadlineQueue();
  expect(queue.add(Infinity, () => {})).toBeUndefined();
  let count = 0;
  const deadline = await new Promise<{ cancel(): void }>((resolve) => {
    const added = queue.add(1, () => {
      count += 1;
      resolve(added!);
    });
  });
  deadline.cancel();
  expect(count).toBe(1);
});

it('a deadline parked behind thousands of cancelled ones still fires, after the later ones in its order', async () => {
  const queue = new DeadlineQueue();
  const fired: string[] = [];
  const done = new Promise<void>((resolve) => {
    queue.add(30, () => fired.push('parked'));
    for (let index = 0; index < 5000; index++) queue.add(30, () => fired.push(`cancelled ${index}`))!.cancel();
    queue.add(30, () => {
      fired.push('last');
      resolve();
    });
  });
  await done;
  expect(fired).toEqual(['parked', 'last']);
});

it('deadlines of many distinct lengths fire each at its time, earliest deadline first', async () => {
  const queue = new DeadlineQueue();
  const fired: number[] = [];
  const deadlines = new Map<number, number>();
  const lengths = Array.from({ length: 40 }, (_, index) => 60 - index);
  await new Promise<void>((resolve) => {
    for (const length of lengths) {
      const setAt = performance.now();
      // Shorter lengths are added later: a stall between two adds (GC, a busy core) can make
      // a shorter one's deadline the later one, so the order expected is the deadlines'.
      deadlines.set(length, setAt + length);
      queue.add(length, () => {
        expect(performance.now() - setAt).toBeGreaterThanOrEqual(length - 1);
        fired.push(length);
        if (fired.length === lengths.length) resolve();
      });
    }
  });
  expect(fired).toEqual([...lengths].sort((a, b) => deadlines.get(a)! - deadlines.get(b)!));
});
