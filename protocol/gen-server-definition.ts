import type { ExitReason, StopReason } from '../errors/exit-reason';

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
 * The types a GenServer works with, by name; give the ones you use:
 *
 * ```ts
 * defineGenServer<{ state: Counter; call: CounterCall; reply: number; cast: CounterCast; initArg: number }>({ ... })
 * ```
 */
export interface GenServerTypes {
  /** The process's state. Default `unknown`. */
  state?: unknown;
  /** Requests `handleCall` accepts. Default: none. */
  call?: unknown;
  /** What calls answer. Default `unknown`. */
  reply?: unknown;
  /** Messages `handleCast` accepts. Default: none. */
  cast?: unknown;
  /** Plain messages `handleInfo` accepts (`send`, `sendAfter`). Default: none. */
  info?: unknown;
  /** The argument of `init`, given to `startGenServer`. Default: none (`void`). */
  initArg?: unknown;
}

/** Whether `T` is `any` (an untyped client accepts and returns anything). */
type IsAny<T> = 0 extends 1 & T ? true : false;
/** The type under `key` in a type map, or `fallback` when it is not given. */
type Pick_<T, K extends keyof GenServerTypes, Fallback> = IsAny<T> extends true ? any : T extends { readonly [P in K]: infer V } ? V : Fallback;
type State<T> = Pick_<T, 'state', unknown>;
type Call<T> = Pick_<T, 'call', never>;
type Reply<T> = Pick_<T, 'reply', unknown>;
type Cast<T> = Pick_<T, 'cast', never>;
type Info<T> = Pick_<T, 'info', never>;
type InitArg<T> = Pick_<T, 'initArg', void>;

/**
 * The callbacks of a GenServer, each sync or async. The process handles one message at
 * a time, in arrival order: an async callback holds the mailbox until it settles.
 * A callback that throws crashes the process: `terminate` runs with the error as the
 * reason, and every caller waiting on it is told at once.
 */
export interface GenServerCallbacks<T extends GenServerTypes = GenServerTypes> {
  /**
   * Prefix of this process's automatic spans (`<name>.handle_call`, ...). Default: the
   * process's registered name, else this module's file name.
   */
  readonly name?: string;
  /** Runs first, in the process's thread, with the argument given to `start`. */
  init(arg: InitArg<T>): MaybePromise<InitResult<State<T>>>;
  /** Answers `call`. Without it, a call crashes the process (as in Elixir). */
  handleCall?(request: Call<T>, from: From, state: State<T>): MaybePromise<CallResult<State<T>, Reply<T>>>;
  /** Handles `cast`. Without it, a cast crashes the process (as in Elixir). */
  handleCast?(message: Cast<T>, state: State<T>): MaybePromise<NoReplyResult<State<T>>>;
  /** Handles plain messages (`send`, `sendAfter`). Without it they are logged and dropped. */
  handleInfo?(message: Info<T>, state: State<T>): MaybePromise<NoReplyResult<State<T>>>;
  /**
   * Runs before the process exits: after a stop request or a `stop` result, and after a
   * callback crashed (with the error as reason). Not after `kill`.
   */
  terminate?(reason: ExitReason, state: State<T>): MaybePromise<void>;
}

/** The marker `defineGenServer` sets, so the host can tell a definition from anything else. */
export const GEN_SERVER_MARK = '__workerOtpGenServer';

/** A GenServer definition: the default export of a GenServer module. */
export type GenServerDefinition<T extends GenServerTypes = any> = GenServerCallbacks<T> & {
  readonly [GEN_SERVER_MARK]: true;
  /** Type-level only: the type map, for typed clients. */
  readonly types?: T;
};

/**
 * Defines a GenServer. Export the result as the module's default export; start it from
 * the main thread with `startGenServer(modulePath, initArg)`. Name its types in one map:
 * `defineGenServer<{ state: S; call: C; reply: R }>({ ... })` (see {@link GenServerTypes}).
 */
export function defineGenServer<T extends GenServerTypes = GenServerTypes>(callbacks: GenServerCallbacks<T>): GenServerDefinition<T> {
  if (callbacks === null || typeof callbacks !== 'object' || typeof callbacks.init !== 'function') {
    throw new TypeError('worker-otp: defineGenServer(callbacks) needs an object with an init function');
  }
  return Object.freeze({ ...callbacks, [GEN_SERVER_MARK]: true as const });
}

/** The type map of a definition (`typeof import('./server').default`). */
type TypesOf<D> = IsAny<D> extends true ? any : D extends { readonly types?: infer T } ? NonNullable<T> : never;
/** The types a definition was made with, for typed clients. */
export type StateOf<D> = State<TypesOf<D>>;
export type CallOf<D> = Call<TypesOf<D>>;
export type CastOf<D> = Cast<TypesOf<D>>;
export type InfoOf<D> = Info<TypesOf<D>>;
export type ReplyOf<D> = Reply<TypesOf<D>>;
export type InitArgOf<D> = InitArg<TypesOf<D>>;
