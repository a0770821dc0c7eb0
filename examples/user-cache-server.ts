/**
 * The reference's `MyApp.UserCache` GenServer, ported. Runs in its own worker thread.
 * No context is captured or attached anywhere: each callback already runs inside the
 * runtime's span for it, which is a child of the caller's span in the main thread.
 */
import { trace } from '@opentelemetry/api';
import { defineGenServer } from '../workers';

const tracer = trace.getTracer('user-cache');

export interface User {
  id: number;
  name: string;
}

export interface UserCacheState {
  users: Record<number, User>;
  ttl: number;
}

export type UserCacheCall = { type: 'get_user'; userId: number };
export type UserCacheCast = { type: 'refresh'; userId: number };

/** Simulates the database fetch, in its own span, as the reference does. */
async function fetchUserFromDb(userId: number): Promise<User> {
  return tracer.startActiveSpan('user_cache.fetch_from_db', async (span) => {
    span.setAttribute('user_id', userId);
    await new Promise((resolve) => setTimeout(resolve, 10));
    span.end();
    return { id: userId, name: `User ${userId}` };
  });
}

export default defineGenServer<{ state: UserCacheState; call: UserCacheCall; cast: UserCacheCast; reply: User; initArg: { ttl?: number } }>({
  name: 'user_cache',

  init(options) {
    // The runtime's `user_cache.init` span is active here.
    trace.getActiveSpan()?.setAttribute('ttl', options.ttl ?? 3600);
    return { ok: { users: {}, ttl: options.ttl ?? 3600 } };
  },

  async handleCall(request, _from, state) {
    return tracer.startActiveSpan('user_cache.handle_call.get_user', async (span) => {
      span.setAttributes({ user_id: request.userId, cache_size: Object.keys(state.users).length });
      const cached = state.users[request.userId];
      try {
        if (cached) {
          span.addEvent('cache_hit', { user_id: request.userId });
          return { reply: cached, state };
        }
        span.addEvent('cache_miss', { user_id: request.userId });
        const user = await fetchUserFromDb(request.userId);
        return { reply: user, state: { ...state, users: { ...state.users, [user.id]: user } } };
      } finally {
        span.end();
      }
    });
  },

  async handleCast(message, state) {
    return tracer.startActiveSpan('user_cache.handle_cast.refresh', async (span) => {
      span.setAttribute('user_id', message.userId);
      const user = await fetchUserFromDb(message.userId);
      span.end();
      return { noreply: true as const, state: { ...state, users: { ...state.users, [user.id]: user } } };
    });
  },
});
