/**
 * A real `nats-server` (Debian's package) for the cluster suites: on a free loopback port,
 * JetStream on, its store in a temporary folder, so it can be stopped and started again
 * on the same port with its streams intact. `npm test` installs the package when it is
 * missing (scripts/ensure-system-packages.sh); without it, this fails naming the package.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const START_DEADLINE_MS = 15_000;
const STOP_DEADLINE_MS = 10_000;

/** The nats-server binary: NATS_SERVER_PATH, else Debian's. */
export function natsServerPath(): string {
  const candidates = [process.env.NATS_SERVER_PATH, '/usr/sbin/nats-server', '/usr/bin/nats-server'].filter((path): path is string => !!path);
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) throw new Error("the cluster tests need nats-server: install Debian's package 'nats-server' (apt-get install nats-server), or set NATS_SERVER_PATH");
  return found;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class NatsServer {
  readonly port: number;
  readonly #storeDir: string;
  #child: ChildProcess | undefined;

  private constructor(port: number, storeDir: string) {
    this.port = port;
    this.#storeDir = storeDir;
  }

  static async start(): Promise<NatsServer> {
    const server = new NatsServer(await freePort(), mkdtempSync(join(tmpdir(), 'worker-otp-nats-')));
    await server.#launch();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Stops the server (SIGTERM, then SIGKILL); its store stays for `restart`. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Starts it again on the same port, with the same store. */
  async restart(): Promise<void> {
    await this.stop();
    await this.#launch();
  }

  /** Stops it and removes its store. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.#storeDir, { recursive: true, force: true });
  }

  async #launch(): Promise<void> {
    const child = spawn(natsServerPath(), ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.#storeDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server did not start within ${START_DEADLINE_MS} ms:\n${log}`)), START_DEADLINE_MS);
      child.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited (${code}) before it was ready:\n${log}`));
      });
    });
    child.stderr!.resume();
  }
}
