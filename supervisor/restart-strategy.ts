import { isNormalExit, type ExitReason } from '../errors';
import type { RestartType } from './child-spec';

/**
 * OTP's restart strategies:
 * - `one_for_one`: only the child that exited is restarted.
 * - `one_for_all`: all children are stopped (reverse start order) and started again.
 * - `rest_for_one`: the child and those started after it are stopped and started again.
 */
export type RestartStrategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

export const RESTART_STRATEGIES: readonly RestartStrategy[] = ['one_for_one', 'one_for_all', 'rest_for_one'];

/** Which children (indexes, in start order) restart when the child at `exited` exits. */
export function childrenToRestart(strategy: RestartStrategy, childCount: number, exited: number): number[] {
  switch (strategy) {
    case 'one_for_one':
      return [exited];
    case 'one_for_all':
      return Array.from({ length: childCount }, (_, index) => index);
    case 'rest_for_one':
      return Array.from({ length: childCount - exited }, (_, offset) => exited + offset);
  }
}

/**
 * Whether a child that exited with `reason` is restarted, by its restart type (OTP's
 * `restart`): `permanent` always; `transient` only after an abnormal exit (not `normal`,
 * `shutdown` or `{shutdown, _}`); `temporary` never.
 */
export function isRestarted(restart: RestartType, reason: ExitReason): boolean {
  return restart === 'permanent' || (restart === 'transient' && !isNormalExit(reason));
}
