import type { ExitReason, StopReason } from './exit-reason';

type MaybePromise<T> = T | Promise<T>;

/**
 * Who is waiting for a call's reply. Opaque: keep it to answer later with
 * `reply(from, value)` (OTP's `GenServer.reply/2`). Plain data, so it can be stored in
 * state or sent to another process that will answer instead.
 */
export interface From {
  /** The caller's pid number; 0 for the main thread. */
  readonly pid: number;
  /** The caller's reference for this call. */
  readonly ref: number;
}

/**
 * What `init` returns:
 * - `{ ok: state }`: the process is running with this state; `start` resolves.
 * - `{ stop: reason }`: the process does not start; `start` rejects with the reason.
 */
export type InitResult<State> = { readonly ok: State } | { readonly stop: StopReason };

/**
 * What `handleCall` returns:
 * - `{ reply: value, state }`: answer the caller now, go on with `state`.
 * - `{ noreply: true, state }`: answer later with `reply(from, value)`; the caller waits
 *   (up to its timeout) while the process serves other messages.
 * - `{ stop: reason, reply: value, state }`: answer, then stop with `reason`
 *   (`terminate` runs first).
 * - `{ stop: reason, state }`: stop without answering; the caller gets a process-exit error.
 */
export type CallResult<State, Reply> =
  | { readonly reply: Reply; readonly state: State }
  | { readonly noreply: true; readonly state: State }
  | { readonly stop: StopReason; readonly reply?: Reply; readonly state: State };

/**
 * What `handleCast` and `handleInfo` return:
 * - `{ noreply: true, state }`: go on with `state`.
 * - `{ stop: reason, state }`: stop with `reason` (`terminate` runs first).
 */
export type NoReplyResult<State> =
  | { readonly noreply: true; readonly state: State }
  | { readonly stop: StopReason; readonly state: State };

/**
 * The callbacks of a GenServer, each sync or async. The process handles one message at
 * a time, in arrival order: an async callback holds the mailbox until it settles.
 * A callback that throws crashes the process: `terminate` runs with the error as the
 * reason, and every caller waiting on it is told at once.
 */
export interface GenServerCallbacks<State, Call, Cast, Info, Reply, InitArg> {
  /**
   * Prefix of this process's automatic spans (`<name>.handle_call`, ...). Default: the
   * process's registered name, else this module's file name.
   */
  readonly name?: string;
  /** Runs first, in the process's thread, with the argument given to `start`. */
  init(arg: InitArg): MaybePromise<InitResult<State>>;
  /** Answers `call`. Without it, a call crashes the process (as in Elixir). */
  handleCall?(request: Call, from: From, state: State): MaybePromise<CallResult<State, Reply>>;
  /** Handles `cast`. Without it, a cast crashes the process (as in Elixir). */
  handleCast?(message: Cast, state: State): MaybePromise<NoReplyResult<State>>;
  /** Handles plain messages (`send`, `sendAfter`). Without it they are logged and dropped. */
  handleInfo?(message: Info, state: State): MaybePromise<NoReplyResult<State>>;
  /**
   * Runs before the process exits: after a stop request or a `stop` result, and after a
   * callback crashed (with the error as reason). Not after `kill`.
   */
  terminate?(reason: ExitReason, state: State): MaybePromise<void>;
}

/** The marker `defineGenServer` sets, so the host can tell a definition from anything else. */
export const GEN_SERVER_MARK = '__workerOtpGenServer';

/** A GenServer definition: the default export of a GenServer module. */
export type GenServerDefinition<State = any, Call = any, Cast = any, Info = any, Reply = any, InitArg = any> =
  GenServerCallbacks<State, Call, Cast, Info, Reply, InitArg> & { readonly [GEN_SERVER_MARK]: true };

/**
 * Defines a GenServer. Export the result as the module's default export; start it from
 * the main thread (or another process) with `startGenServer(modulePath, initArg)`.
 *
 * @typeParam State - the process's state
 * @typeParam Call - requests `handleCall` accepts
 * @typeParam Cast - messages `handleCast` accepts
 * @typeParam Info - plain messages `handleInfo` accepts
 * @typeParam Reply - what calls answer
 * @typeParam InitArg - the argument of `init`
 */
export function defineGenServer<State, Call = never, Cast = never, Info = never, Reply = unknown, InitArg = void>(
  callbacks: GenServerCallbacks<State, Call, Cast, Info, Reply, InitArg>,
): GenServerDefinition<State, Call, Cast, Info, Reply, InitArg> {
  if (callbacks === null || typeof callbacks !== 'object' || typeof callbacks.init !== 'function') {
    throw new TypeError('worker-otp: defineGenServer(callbacks) needs an object with an init function');
  }
  return Object.freeze({ ...callbacks, [GEN_SERVER_MARK]: true as const });
}

/** The types a definition was made with, for typed clients. */
export type StateOf<D> = D extends GenServerDefinition<infer S, any, any, any, any, any> ? S : never;
export type CallOf<D> = D extends GenServerDefinition<any, infer C, any, any, any, any> ? C : never;
export type CastOf<D> = D extends GenServerDefinition<any, any, infer C, any, any, any> ? C : never;
export type InfoOf<D> = D extends GenServerDefinition<any, any, any, infer I, any, any> ? I : never;
export type ReplyOf<D> = D extends GenServerDefinition<any, any, any, any, infer R, any> ? R : never;
export type InitArgOf<D> = D extends GenServerDefinition<any, any, any, any, any, infer A> ? A : never;
