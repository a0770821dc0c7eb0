/**
 * A cluster node program (tests/fixtures/cluster/node-program.ts) in a child process of
 * its own, driven over IPC: requests with answers, the node events it saw, and kill -9.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ClusterNode, NodeEvent } from '../../cluster';
import type { NodeAnswer, NodeRequest } from '../fixtures/cluster/node-program';

const PROGRAM = join(__dirname, '..', 'fixtures', 'cluster', 'node-program.js');
const START_DEADLINE_MS = 30_000;

export interface NodeEventSeen {
  readonly type: 'nodeup' | 'nodedown';
  readonly node: string;
  readonly reason?: string;
  /** When the test process heard of it (performance.now()). */
  readonly at: number;
}

/** What a request failed with, as the node program saw it. */
export class NodeRequestError extends Error {
  readonly code: string | undefined;
  readonly reason: unknown;
  readonly node: string | undefined;
  constructor(error: { name: string; code?: string; message: string; reason?: unknown; node?: string }) {
    super(error.message);
    this.name = error.name;
    this.code = error.code;
    this.reason = error.reason;
    this.node = error.node;
  }
}

export class NodeProgram {
  readonly name: string;
  readonly events: NodeEventSeen[] = [];
  readonly #child: ChildProcess;
  readonly #answers = new Map<number, (answer: NodeAnswer) => void>();
  readonly #eventWaiters = new Set<(event: NodeEventSeen) => void>();
  readonly #exited: Promise<void>;
  #nextId = 1;

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: any) => {
      if (message.event) {
        const event: NodeEventSeen = { ...message.event, at: performance.now() };
        this.events.push(event);
        for (const waiter of this.#eventWaiters) waiter(event);
      }
      else if (typeof message.id === 'number') this.#answers.get(message.id)?.(message);
    });
  }

  /** Starts node `name` on the NATS server at `natsUrl`, in cluster `cluster`. */
  static async start(name: string, natsUrl: string, cluster: string, env: NodeJS.ProcessEnv = {}): Promise<NodeProgram> {
    const child = fork(PROGRAM, [], {
      env: { ...process.env, WOTP_NODE: name, NATS_URL: natsUrl, WOTP_CLUSTER: cluster, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // A program left running by a failed test neither keeps the test process alive nor outlives it.
    child.unref();
    child.channel?.unref();
    const endWithUs = () => child.kill('SIGKILL');
    process.once('exit', endWithUs);
    child.once('exit', () => process.removeListener('exit', endWithUs));
    const program = new NodeProgram(name, child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`node program ${name} did not start within ${START_DEADLINE_MS} ms`)), START_DEADLINE_MS);
      child.on('message', (message: any) => {
        if (message.ready === name) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`node program ${name} exited (${code}) before it was ready`));
      });
    });
    return program;
  }

  /** Resolves once the program has ended. */
  get exited(): Promise<void> {
    return this.#exited;
  }

  /** Asks the program to do `request`; resolves with its answer, rejects with a `NodeRequestError`. */
  request<T = unknown>(request: NodeRequest, timeoutMs = 60_000): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#answers.delete(id);
        reject(new Error(`node ${this.name} did not answer ${request.op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#answers.set(id, (answer) => {
        clearTimeout(timer);
        this.#answers.delete(id);
        if (answer.ok) resolve(answer.value as T);
        else reject(new NodeRequestError(answer.error));
      });
      this.#child.send({ ...request, id }, (error) => {
        if (error === null) return;
        clearTimeout(timer);
        this.#answers.delete(id);
        reject(new Error(`node ${this.name} is gone: ${error.message}`));
      });
    });
  }

  /** Resolves with the first event (seen already or to come) that `matches`, within `timeoutMs`. */
  waitForEvent(matches: (event: NodeEventSeen) => boolean, timeoutMs = 20_000): Promise<NodeEventSeen> {
    const seen = this.events.find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = (event: NodeEventSeen) => {
        if (!matches(event)) return;
        clearTimeout(timer);
        this.#eventWaiters.delete(waiter);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.#eventWaiters.delete(waiter);
        reject(new Error(`node ${this.name} saw no such event within ${timeoutMs} ms: ${JSON.stringify(this.events)}`));
      }, timeoutMs);
      this.#eventWaiters.add(waiter);
    });
  }

  /** kill -9. */
  async kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  /** Stops the node cleanly and waits for the process to end (killed past the deadline). */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), timeoutMs);
    try {
      await this.request({ op: 'stop' }, timeoutMs);
    } catch {
      this.#child.kill('SIGKILL');
    }
    await this.#exited;
    clearTimeout(timer);
  }
}

/** Resolves with the contents of `path` once a file is there (watching its folder), within `timeoutMs`. */
export function fileWritten(path: string, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const read = () => {
      try {
        const text = readFileSync(path, 'utf8');
        if (text.length === 0) return false;
        watcher.close();
        clearTimeout(timer);
        resolve(text);
        return true;
      } catch {
        return false;
      }
    };
    const watcher = watch(dirname(path), (_event, name) => {
      if (name === basename(path)) read();
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${path} was not written within ${timeoutMs} ms`));
    }, timeoutMs);
    if (existsSync(path)) read();
  });
}

/** The next event `node` (this test process's node) sees that `matches`, within `timeoutMs`. */
export function nextNodeEvent(node: ClusterNode, matches: (event: NodeEvent) => boolean, timeoutMs = 20_000): Promise<NodeEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no such node event within ${timeoutMs} ms`)), timeoutMs);
    const unsubscribe = node.monitorNodes((event) => {
      if (!matches(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}
