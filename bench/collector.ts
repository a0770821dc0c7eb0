import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { ReceiverBehaviour } from '../tests/support/otlp-receiver';
import { keepOffMeasuredCore } from './pinning';

/** The receiver process, seen from the benchmark. */
export interface Collector {
  readonly url: string;
  /** Spans received so far (with this name, if given). */
  count(name?: string): Promise<number>;
  close(): Promise<void>;
}

export async function startCollector(behaviour: ReceiverBehaviour = {}): Promise<Collector> {
  const child: ChildProcess = fork(join(__dirname, 'receiver-process.js'), [JSON.stringify(behaviour)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [first] = (await once(child, 'message')) as [{ url: string }];
  keepOffMeasuredCore(child.pid!);
  return {
    url: first.url,
    count: async (name) => {
      child.send({ type: 'count', name });
      const [answer] = (await once(child, 'message')) as [{ count: number }];
      return answer.count;
    },
    close: async () => {
      child.send({ type: 'close' });
      await once(child, 'exit');
    },
  };
}
