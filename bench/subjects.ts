import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { releaseProxy, wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter';
import { startGenServer, tracedEndpoint, type GenServer, type StartOptions } from '../index';
import type { EchoApi } from './fixtures/comlink-echo';
import type EchoServer from './fixtures/echo-server';

export const fixture = (name: string) => join(__dirname, 'fixtures', `${name}.js`);

/** Something that answers one request at a time, for the call cases. */
export interface CallSubject {
  request(value: number): Promise<unknown>;
  /** One-way message, and a count of those received (for the cast cases). */
  oneWay(): void;
  received(): Promise<number>;
  close(): Promise<void>;
}

/** A bare worker with a MessagePort round trip: the floor. */
export async function rawSubject(): Promise<CallSubject> {
  const echo = new Worker(fixture('echo-worker'));
  const sink = new Worker(fixture('sink-worker'));
  await Promise.all([once(echo, 'online'), once(sink, 'online')]);
  // Replies come back in order on one port: a FIFO of resolvers matches them.
  const waiting: Array<(value: unknown) => void> = [];
  echo.on('message', (value) => waiting.shift()!(value));
  const counts: Array<(count: number) => void> = [];
  sink.on('message', (count: number) => counts.shift()!(count));
  return {
    request: (value) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        echo.postMessage({ type: 'echo', value });
      }),
    oneWay: () => sink.postMessage({ type: 'tick' }),
    received: () =>
      new Promise((resolve) => {
        counts.push(resolve);
        sink.postMessage({ type: 'count' });
      }),
    close: async () => {
      await Promise.all([echo.terminate(), sink.terminate()]);
    },
  };
}

/** A GenServer, the same requests through the runtime. */
export async function genServerSubject(options: StartOptions = {}): Promise<CallSubject> {
  const server: GenServer<typeof EchoServer> = await startGenServer<typeof EchoServer>(fixture('echo-server'), undefined, options);
  return {
    request: (value) => server.call({ type: 'echo', value }),
    oneWay: () => server.cast({ type: 'tick' }),
    received: () => server.call({ type: 'count' }) as Promise<number>,
    close: () => server.stop(),
  };
}

/**
 * Comlink's `wrap` over a worker exposing an echo: bare (Comlink's Node adapter), or with
 * both ends on worker-otp's traced endpoint. Requests only (no one-way case).
 */
export async function comlinkSubject(traced: boolean): Promise<CallSubject> {
  const worker = new Worker(fixture('comlink-echo'), { workerData: { traced } });
  await once(worker, 'online');
  const remote = wrap<EchoApi>(traced ? tracedEndpoint(worker, { name: 'echo' }) : nodeEndpoint(worker));
  const noOneWay = () => {
    throw new Error('comlink subject: no one-way messages');
  };
  return {
    request: (value) => remote.echo({ type: 'echo', value }),
    oneWay: noOneWay,
    received: noOneWay,
    close: async () => {
      remote[releaseProxy]();
      await worker.terminate();
    },
  };
}

/** Sequential round trips: each one's latency in microseconds. */
export async function latencies(subject: CallSubject, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const start = process.hrtime.bigint();
    await subject.request(index);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return samples;
}

/** Round trips per second with `inFlight` requests outstanding. */
export async function pipelined(subject: CallSubject, total: number, inFlight: number): Promise<number> {
  let sent = 0;
  const start = process.hrtime.bigint();
  const lane = async () => {
    while (sent < total) {
      sent += 1;
      await subject.request(sent);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return total / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** One-way messages per second, counted as received by the other side. */
export async function oneWayThroughput(subject: CallSubject, total: number): Promise<number> {
  const before = await subject.received();
  const start = process.hrtime.bigint();
  for (let index = 0; index < total; index++) subject.oneWay();
  const after = await subject.received();
  if (after - before !== total) throw new Error(`one-way: sent ${total}, received ${after - before}`);
  return total / (Number(process.hrtime.bigint() - start) / 1e9);
}
