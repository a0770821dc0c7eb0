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
