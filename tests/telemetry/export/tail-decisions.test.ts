/** Tail sampling's decisions: kept or released by trace, once its local root ends; late spans follow; bounds hold. */
import { TailDecisions } from '../../../dist/telemetry/export/tail-decisions';

const span = (traceId: string, options: { root?: boolean; failed?: boolean; ms?: number } = {}) => ({
  traceId,
  localRoot: options.root ?? false,
  failed: options.failed ?? false,
  durationMs: options.ms ?? 1,
});

/** A trace id whose ratio draw is `fraction` (its last 8 hex digits decide). */
const traceWithDraw = (fraction: number) => `${'0'.repeat(24)}${Math.floor(fraction * 2 ** 32).toString(16).padStart(8, '0')}`;

function collect(): { released: string[]; release: (name: string) => () => void } {
  const released: string[] = [];
  return { released, release: (name) => () => released.push(name) };
}

it('keeps a trace with a failed span anywhere in it, whole, when its root ends; releases a healthy one', () => {
  const decisions = new TailDecisions({ keepRatio: 0 });
  const { released, release } = collect();
  decisions.offer(span('a', { failed: true }), release('a.child'));
  decisions.offer(span('b'), release('b.child'));
  expect(released).toEqual([]);
  decisions.offer(span('a', { root: true }), release('a.root'));
  decisions.offer(span('b', { root: true }), release('b.root'));
  expect(released).toEqual(['a.child', 'a.root']);
  expect(decisions.stats).toEqual({ tracesKept: 1, tracesDropped: 1, spansKept: 2, spansDropped: 2, decidedEarly: 0 });
});

it('spans that end after their trace was decided follow the decision', () => {
  const decisions = new TailDecisions({ keepRatio: 0 });
  const { released, release } = collect();
  decisions.offer(span('kept', { root: true, failed: true }), release('kept.root'));
  decisions.offer(span('dropped', { root: true }), release('dropped.root'));
  decisions.offer(span('kept'), release('kept.late'));
  decisions.offer(span('dropped', { failed: true }), release('dropped.late'));
  expect(released).toEqual(['kept.root', 'kept.late']);
});

it('keeps a slow trace, and the given share of the rest by trace id', () => {
  const decisions = new TailDecisions({ keepRatio: 0.25, keepSlowerThanMs: 100 });
  const { released, release } = collect();
  decisions.offer(span(traceWithDraw(0.9), { ms: 150 }), release('slow.child'));
  decisions.offer(span(traceWithDraw(0.9), { root: true, ms: 10 }), release('slow.root'));
  decisions.offer(span(traceWithDraw(0.1), { root: true }), release('lucky'));
  decisions.offer(span(traceWithDraw(0.5), { root: true }), release('unlucky'));
  expect(released).toEqual(['slow.child', 'slow.root', 'lucky']);
});

it('past maxSpans decides the oldest trace at once, on what is known of it', () => {
  const decisions = new TailDecisions({ keepRatio: 0, maxSpans: 3 });
  const { released, release } = collect();
  decisions.offer(span('old', { failed: true }), release('old.1'));
  decisions.offer(span('old'), release('old.2'));
  decisions.offer(span('new'), release('new.1'));
  decisions.offer(span('new'), release('new.2'));
  expect(released).toEqual(['old.1', 'old.2']);
  expect(decisions.stats.decidedEarly).toBe(1);
});

it('past maxSpans takes the oldest trace still waiting, past those decided meanwhile', () => {
  const decisions = new TailDecisions({ keepRatio: 0, maxSpans: 2 });
  const { released, release } = collect();
  decisions.offer(span('first'), release('first'));
  decisions.offer(span('second', { failed: true }), release('second'));
  decisions.offer(span('first', { root: true, failed: true }), release('first.root'));
  decisions.offer(span('third'), release('third'));
  decisions.offer(span('fourth'), release('fourth'));
  // 'first' was decided at its root; 'second' is the oldest still waiting, and goes when 'fourth' comes.
  expect(released).toEqual(['first', 'first.root', 'second']);
  expect(decisions.stats.decidedEarly).toBe(1);
});

it('remembers the latest 100,000 decisions for late spans, forgetting the oldest first', () => {
  const decisions = new TailDecisions({ keepRatio: 0 });
  const { released, release } = collect();
  const total = 150_000;
  for (let index = 0; index < total; index++) decisions.offer(span(`t${index}`, { root: true, failed: true }), () => {});
  decisions.offer(span('t149999'), release('latest, remembered'));
  decisions.offer(span('t50000'), release('oldest remembered'));
  decisions.offer(span('t49999', { failed: true }), release('forgotten'));
  expect(released).toEqual(['latest, remembered', 'oldest remembered']);
  // A forgotten trace's late span waits for a decision again, like a new trace's.
  decisions.decideAll();
  expect(released).toEqual(['latest, remembered', 'oldest remembered', 'forgotten']);
});

it('decides a trace whose root never comes after decisionWaitMs, and everything on decideAll', async () => {
  const decisions = new TailDecisions({ keepRatio: 0, decisionWaitMs: 20 });
  const released = new Promise<string>((resolve) => decisions.offer(span('rootless', { failed: true }), () => resolve('rootless')));
  await expect(released).resolves.toBe('rootless');
  const { released: flushed, release } = collect();
  decisions.offer(span('pending', { failed: true }), release('pending'));
  decisions.decideAll();
  expect(flushed).toEqual(['pending']);
  expect(decisions.stats.decidedEarly).toBe(2);
});

it('refuses bad options, naming them', () => {
  expect(() => new TailDecisions({ keepRatio: 2 })).toThrow('keepRatio must be a number from 0 to 1');
  expect(() => new TailDecisions({ maxSpans: 0 })).toThrow('maxSpans must be a number > 0');
});
