/**
 * Calls by registered name, typed: the application names its GenServers' definitions by
 * their registered names, once, by declaration merging, and `call('cache', ...)`, `cast`
 * and `send` by that name are then checked like calls on the GenServer's handle, from the
 * main thread and from inside processes:
 *
 * ```ts
 * declare module 'worker-otp' {
 *   interface RegisteredNames {
 *     cache: typeof import('./cache-server').default;
 *   }
 * }
 * ```
 *
 * Names not listed, and pids, stay untyped (`unknown` in, `unknown` or the given type out).
 */
import type { CallOf, CastOf, InfoOf, ReplyOf } from './gen-server-definition';
import type { ProcessRef } from './pid';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the application, by declaration merging
export interface RegisteredNames {}

/** A name listed in {@link RegisteredNames}. */
export type RegisteredName = keyof RegisteredNames & string;

/** A process reference that is not a listed name: a pid, or a name the application did not list. */
export type UnlistedRef<T extends ProcessRef> = T & (T extends RegisteredName ? never : unknown);

/** What the GenServer registered under `N` takes and answers. */
export type NamedCall<N extends RegisteredName> = CallOf<RegisteredNames[N]>;
export type NamedReply<N extends RegisteredName> = ReplyOf<RegisteredNames[N]>;
export type NamedCast<N extends RegisteredName> = CastOf<RegisteredNames[N]>;
export type NamedInfo<N extends RegisteredName> = InfoOf<RegisteredNames[N]>;
