// server.ts: tracing first, as usual; then worker-otp
import './tracing';
import { createServer } from 'node:http';
import { startGenServer } from 'worker-otp';
import type CacheServer from './cache-server';

export async function serve(): Promise<void> {
  const cache = await startGenServer<typeof CacheServer>(require.resolve('./cache-server'), undefined, { name: 'cache' });
  createServer(async (request, response) => {
    // One trace: GET (SERVER) -> cache.call -> cache.handle_call (in the cache's thread) -> your spans there
    response.end(await cache.call({ type: 'get', key: request.url ?? '/' }));
  }).listen(8080);
}
