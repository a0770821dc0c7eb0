/**
 * The shapes GenServer callbacks may return (see `protocol/gen-server-definition.ts`),
 * checked before the host acts on them: anything else crashes the process with an
 * `InvalidReturnError` that shows what was returned.
 */
import { InvalidReturnError, describeValue } from '../../errors';

export function hasKey<K extends string>(value: object, key: K): value is Record<K, unknown> {
  return key in value;
}

const INIT_SHAPES = '{ ok: state } or { stop: reason }';
const CALL_SHAPES = '{ reply, state }, { noreply: true, state }, or { stop, state } (with an optional reply)';
const NOREPLY_SHAPES = '{ noreply: true, state } or { stop, state }';

/** What `init` returned, checked: `{ ok }` or `{ stop }`. */
export function checkInitResult(label: string, returned: unknown): { ok: unknown } | { stop: unknown } {
  if (returned === null || typeof returned !== 'object' || !(hasKey(returned, 'ok') || hasKey(returned, 'stop'))) {
    throw new InvalidReturnError(`${label}.init`, describeValue(returned), INIT_SHAPES);
  }
  return returned as { ok: unknown } | { stop: unknown };
}

/**
 * What `label`'s `handleCall` (`isCall`), `handleCast` or `handleInfo` (`callback`)
 * returned, checked. Nothing is allocated unless it is invalid: this runs for every message.
 */
export function checkCallbackResult(label: string, callback: string, isCall: boolean, returned: unknown): Record<string, unknown> {
  if (returned !== null && typeof returned === 'object' && hasKey(returned, 'state')) {
    const stops = hasKey(returned, 'stop');
    const replies = hasKey(returned, 'reply');
    const noreply = hasKey(returned, 'noreply') && returned.noreply === true;
    if (stops ? !noreply && (isCall || !replies) : isCall ? replies !== noreply : noreply && !replies) return returned;
  }
  throw new InvalidReturnError(`${label}.${callback}`, describeValue(returned), isCall ? CALL_SHAPES : NOREPLY_SHAPES);
}
