import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The compiled path of a worker fixture in tests/fixtures (workers load JavaScript only). */
export function fixturePath(name: string): string {
  return join(__dirname, '..', 'fixtures', `${name}.js`);
}

/** Starts a fixture in a real worker thread. */
export function startFixture(name: string): Worker {
  return new Worker(fixturePath(name));
}

/**
 * Resolves with the exit code once `worker` has exited. Unlike `events.once`, an 'error'
 * event on the way (the thread dying of an uncaught error) does not reject it.
 */
export function exitOf(worker: Worker): Promise<number> {
  return new Promise((resolve) => worker.once('exit', resolve));
}
