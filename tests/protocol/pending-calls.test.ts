/** Calls waiting for replies: a ring for the many answered soon, a map for the few that wait long. */
import { PendingCalls } from '../../dist/protocol/pending-calls';

it('gives each call its own ref and hands each back once', () => {
  const calls = new PendingCalls<string>();
  const refs = ['a', 'b', 'c'].map((value) => calls.add(value));
  expect(new Set(refs).size).toBe(3);
  expect(calls.take(refs[1]!)).toBe('b');
  expect(calls.take(refs[1]!)).toBeUndefined();
  expect(calls.has(refs[0]!)).toBe(true);
  expect(calls.has(refs[1]!)).toBe(false);
});

it('keeps a call that outlives many others (past the ring) until it is answered', () => {
  const calls = new PendingCalls<number>();
  const slow = calls.add(-1);
  const answered = Array.from({ length: 5000 }, (_, index) => calls.take(calls.add(index)));
  expect(answered).toEqual(Array.from({ length: 5000 }, (_, index) => index));
  const alsoWaiting = Array.from({ length: 3000 }, (_, index) => calls.add(index));
  expect(calls.take(slow)).toBe(-1);
  expect(alsoWaiting.map((ref) => calls.take(ref))).toEqual(Array.from({ length: 3000 }, (_, index) => index));
});

it('takes every call a condition picks, from the ring and from the map', () => {
  const calls = new PendingCalls<{ callee: string }>();
  const early = calls.add({ callee: 'a' });
  for (let index = 0; index < 2000; index++) calls.add({ callee: index % 2 ? 'a' : 'b' });
  expect(calls.takeWhere((call) => call.callee === 'a')).toHaveLength(1001);
  expect(calls.has(early)).toBe(false);
  expect(calls.takeWhere(() => true)).toHaveLength(1000);
});
