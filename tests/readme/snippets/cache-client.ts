// main thread
import { startGenServer } from 'worker-otp';
import type CacheServer from './cache-server';

export async function useCache(): Promise<void> {
  const cache = await startGenServer<typeof CacheServer>(require.resolve('./cache-server'), undefined, { name: 'cache' });
  cache.cast({ type: 'put', key: 'a', value: '1' });
  const value = await cache.call({ type: 'get', key: 'a' }); // '1', typed by the definition
  console.log(value);
  await cache.stop(); // runs terminate, then the thread ends
}
