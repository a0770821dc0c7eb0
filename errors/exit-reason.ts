import { describeValue } from './describe';
import { fromWireError, toWireError, type WireError } from './error-wire';

/**
 * Why a process exited, in OTP's terms. One classification drives restart decisions
 * (see {@link isNormalExit}) and what spans record (see {@link describeExitReason}).
 *
 * - `normal`: it stopped because its work was done (`stop` with `'normal'`).
 * - `shutdown`: it was told to stop, by its owner or supervisor; `detail` is OTP's
 *   `{:shutdown, term}`.
 * - `killed`: it was ended without running `terminate` (`kill`, or a shutdown timeout).
 * - `error`: it crashed: a callback threw or returned an invalid value, `init` failed,
 *   or its thread died of an uncaught error.
 * - `out_of_memory`: its thread hit its `resourceLimits`.
 * - `stop`: a callback asked to stop with a reason of its own (an abnormal exit).
 * - `noproc`: there was no such process to link to or monitor (OTP's `noproc`).
 * - `noconnection`: the process ran on another node, which went down or left the cluster
 *   (OTP's `noconnection`); `node` names it.
 */
export type ExitReason =
  | { readonly type: 'normal' }
  | { readonly type: 'shutdown'; readonly detail?: unknown }
  | { readonly type: 'killed' }
  | { readonly type: 'error'; readonly error: Error }
  | { readonly type: 'out_of_memory' }
  | { readonly type: 'stop'; readonly detail: unknown }
  | { readonly type: 'noproc' }
  | { readonly type: 'noconnection'; readonly node: string };

/** Plain data a stop reason can be: it crosses threads, so no functions or symbols. */
export type StopDetail = string | number | boolean | bigint | null | Date | readonly unknown[] | { readonly [key: string]: unknown };

/**
 * What a callback or a caller may give as a stop reason: `'normal'`, `'shutdown'`,
 * `{ shutdown: detail }` (all normal exits), an `Error`, or other plain data (abnormal).
 */
export type StopReason = 'normal' | 'shutdown' | { readonly shutdown: unknown } | Error | StopDetail;

/** Exit reasons as they cross threads: errors in their wire form. */
export type WireExitReason =
  | Exclude<ExitReason, { type: 'error' }>
  | { readonly type: 'error'; readonly error: WireError };

export const NORMAL: ExitReason = Object.freeze({ type: 'normal' });
export const SHUTDOWN: ExitReason = Object.freeze({ type: 'shutdown' });
export const KILLED: ExitReason = Object.freeze({ type: 'killed' });

/** Maps a callback's stop reason onto an exit reason. */
export function exitReasonFrom(reason: StopReason): ExitReason {
  if (reason === 'normal') return NORMAL;
  if (reason === 'shutdown') return SHUTDOWN;
  if (reason instanceof Error) return { type: 'error', error: reason };
  if (typeof reason === 'object' && reason !== null && 'shutdown' in reason) {
    return { type: 'shutdown', detail: (reason as { shutdown: unknown }).shutdown };
  }
  return { type: 'stop', detail: reason };
}

/**
 * The exit reason of a process whose callback threw (or rejected with) `thrown`. Any value
 * is a reason: one that is not an error (`undefined`, `null`, a string) becomes an `Error`
 * saying what it was, with the value as its `cause`.
 */
export function thrownReason(thrown: unknown): ExitReason {
  const errorLike = typeof (thrown as Error | null)?.message === 'string' && typeof (thrown as Error | null)?.name === 'string';
  return { type: 'error', error: errorLike ? (thrown as Error) : new Error(`non-error value thrown: ${describeValue(thrown)}`, { cause: thrown }) };
}

/** OTP's normal exits: `normal`, `shutdown`, `{shutdown, _}`. A transient child is not restarted after one. */
export function isNormalExit(reason: ExitReason): boolean {
  return reason.type === 'normal' || reason.type === 'shutdown';
}

/** A short description for messages and span attributes, e.g. `error: TypeError: bad input`. */
export function describeExitReason(reason: ExitReason): string {
  switch (reason.type) {
    case 'error':
      return `error: ${reason.error.name}: ${reason.error.message}`;
    case 'shutdown':
      return reason.detail === undefined ? 'shutdown' : `shutdown: ${describeValue(reason.detail)}`;
    case 'stop':
      return `stop: ${describeValue(reason.detail)}`;
    case 'noconnection':
      return `noconnection: node ${reason.node} is down`;
    default:
      return reason.type;
  }
}

export function toWireExitReason(reason: ExitReason): WireExitReason {
  return reason.type === 'error' ? { type: 'error', error: toWireError(reason.error) } : reason;
}

export function fromWireExitReason(reason: WireExitReason): ExitReason {
  return reason.type === 'error' ? { type: 'error', error: fromWireError(reason.error) } : reason;
}
