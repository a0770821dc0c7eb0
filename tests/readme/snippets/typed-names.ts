// names.ts: the application lists its registered names once
import { call } from 'worker-otp';
import type CacheServer from './cache-server';

declare module 'worker-otp' {
  interface RegisteredNames {
    cache: typeof CacheServer;
  }
}

export async function cachedValue(key: string): Promise<string | undefined> {
  return call('cache', { type: 'get', key }); // checked like cache.call(...): a typo is a compile error
}
