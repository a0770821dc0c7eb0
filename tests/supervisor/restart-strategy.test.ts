/**
 * Every restart decision, from the two pure policies a supervisor applies when a child
 * exits: whether the child is restarted (its restart type × the exit reason), and which
 * children go with it (the strategy).
 */
import { childrenToRestart, isRestarted } from '../../dist/supervisor/restart-strategy';
import type { ExitReason, RestartStrategy, RestartType } from '../../dist';

const REASONS: Record<string, ExitReason> = {
  normal: { type: 'normal' },
  shutdown: { type: 'shutdown' },
  '{shutdown, detail}': { type: 'shutdown', detail: 'maintenance' },
  killed: { type: 'killed' },
  error: { type: 'error', error: new RangeError('crashed') },
  out_of_memory: { type: 'out_of_memory' },
  '{stop, detail}': { type: 'stop', detail: 'gave up' },
};

/** OTP: permanent always, transient after an abnormal exit only, temporary never. */
const RESTARTED: Record<RestartType, Record<string, boolean>> = {
  permanent: { normal: true, shutdown: true, '{shutdown, detail}': true, killed: true, error: true, out_of_memory: true, '{stop, detail}': true },
  transient: { normal: false, shutdown: false, '{shutdown, detail}': false, killed: true, error: true, out_of_memory: true, '{stop, detail}': true },
  temporary: { normal: false, shutdown: false, '{shutdown, detail}': false, killed: false, error: false, out_of_memory: false, '{stop, detail}': false },
};

/** Of four children (start order 0..3), which restart when child 1 exits. */
const AFFECTED: Record<RestartStrategy, number[]> = {
  one_for_one: [1],
  one_for_all: [0, 1, 2, 3],
  rest_for_one: [1, 2, 3],
};

const cases = (Object.keys(AFFECTED) as RestartStrategy[]).flatMap((strategy) =>
  (Object.keys(RESTARTED) as RestartType[]).flatMap((restart) =>
    Object.keys(REASONS).map((reason) => [strategy, restart, reason, RESTARTED[restart][reason] ? AFFECTED[strategy] : []] as const),
  ),
);

it.each(cases)('%s, a %s child exiting with %s: restarts %j', (strategy, restart, reason, expected) => {
  const plan = isRestarted(restart, REASONS[reason]!) ? childrenToRestart(strategy, 4, 1) : [];
  expect(plan).toEqual(expected);
});

it('covers every strategy, restart type and exit reason', () => {
  expect(cases).toHaveLength(3 * 3 * 7);
});

it.each([
  ['one_for_one', 0, [0]],
  ['one_for_one', 3, [3]],
  ['one_for_all', 3, [0, 1, 2, 3]],
  ['rest_for_one', 0, [0, 1, 2, 3]],
  ['rest_for_one', 3, [3]],
] as const)('%s with child %i exiting restarts %j', (strategy, exited, expected) => {
  expect(childrenToRestart(strategy, 4, exited)).toEqual(expected);
});
