/**
 * The reference's UserCache example: a GenServer in its own thread, called from the main
 * thread, every hop traced. Run after `npm run build`:
 *
 *   node dist/examples/user-cache.js
 *
 * With OTEL_EXPORTER_OTLP_ENDPOINT set, the spans go to that collector; otherwise the
 * trace is printed here.
 */
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { startGenServer, type GenServer } from '../index';
import type UserCacheServer from './user-cache-server';
import type { User } from './user-cache-server';
import { runAlone } from './support/example-main';
import { check, type Scenario } from './support/scenario';

type UserCache = GenServer<typeof UserCacheServer>;
const tracer = trace.getTracer('user-cache-client');

/** The client API: a span per request, as in the reference, and a plain call. */
function getUser(cache: UserCache, userId: number): Promise<User> {
  return tracer.startActiveSpan('user_cache.get_user', async (span) => {
    span.setAttributes({ user_id: userId, call_type: 'sync' });
    try {
      return await cache.call({ type: 'get_user', userId });
    } finally {
      span.end();
    }
  });
}

function refreshUser(cache: UserCache, userId: number): void {
  tracer.startActiveSpan('user_cache.refresh_user', (span) => {
    span.setAttributes({ user_id: userId, call_type: 'async' });
    cache.cast({ type: 'refresh', userId });
    span.end();
  });
}

export const scenario: Scenario = {
  name: 'user-cache',
  summary: 'the reference UserCache: a GenServer in its own thread, a cache miss then a hit, every hop traced',
  async run({ log }) {
    const cache: UserCache = await startGenServer<typeof UserCacheServer>(join(__dirname, 'user-cache-server.js'), { ttl: 600 }, { name: 'user_cache' });
    try {
      const first = await getUser(cache, 42); // a miss: fetched from the "database"
      const second = await getUser(cache, 42); // a hit
      refreshUser(cache, 7);
      check(first.name === 'User 42' && second.name === 'User 42', `get_user(42) answered ${first.name}, then ${second.name}`);
      log(`get_user(42) -> ${first.name}, then ${second.name} from the cache; refreshed user 7`);
    } finally {
      await cache.stop();
    }
  },
};

if (require.main === module) void runAlone(scenario);
