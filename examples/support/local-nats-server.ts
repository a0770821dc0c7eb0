/**
 * A real `nats-server` of this machine for development, the demo, tests and benchmarks:
 * on a free loopback port, JetStream on, its store in a temporary folder, so it can be
 * stopped and started again on the same port with its streams intact. Production runs
 * its own NATS servers; this is for a program that needs one now.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const START_DEADLINE_MS = 15_000;
const STOP_DEADLINE_MS = 10_000;

/** How to get a NATS server, for messages. */
export const HOW_TO_GET_NATS =
  "install Debian's package nats-server (apt-get install nats-server), run the official container (docker run -p 4222:4222 nats -js), " +
  'or point NATS_URL at a server you have';

/** The nats-server binary: NATS_SERVER_PATH when set (only it), else Debian's, else one on the PATH; `undefined` when there is none. */
export function findNatsServer(): string | undefined {
  const given = process.env.NATS_SERVER_PATH;
  if (given) return existsSync(given) ? given : undefined;
  const onPath = (process.env.PATH ?? '').split(delimiter).map((folder) => join(folder, 'nats-server'));
  return ['/usr/sbin/nats-server', '/usr/bin/nats-server', ...onPath].find((path) => existsSync(path));
}

/** The nats-server binary; throws, saying how to get one, when there is none. */
export function natsServerPath(): string {
  const found = findNatsServer();
  if (found === undefined) throw new Error(`no nats-server on this machine: ${HOW_TO_GET_NATS}`);
  return found;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class LocalNatsServer {
  readonly port: number;
  readonly #storeDir: string;
  readonly #jetStream: boolean;
  #child: ChildProcess | undefined;

  private constructor(port: number, storeDir: string, jetStream: boolean) {
    this.port = port;
    this.#storeDir = storeDir;
    this.#jetStream = jetStream;
  }

  /** Starts a server; `jetStream: false` starts one without JetStream (no KV, no durable streams). */
  static async start(options: { readonly jetStream?: boolean } = {}): Promise<LocalNatsServer> {
    const server = new LocalNatsServer(await freePort(), mkdtempSync(join(tmpdir(), 'worker-otp-nats-')), options.jetStream ?? true);
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
    const jetStream = this.#jetStream ? ['-js', '-sd', this.#storeDir] : [];
    const child = spawn(natsServerPath(), ['-a', '127.0.0.1', '-p', String(this.port), ...jetStream], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    // It never keeps this program alive, and it ends with it.
    child.unref();
    const endWithUs = () => child.kill('SIGKILL');
    process.once('exit', endWithUs);
    child.once('exit', () => process.removeListener('exit', endWithUs));
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
    (child.stderr as unknown as { unref?: () => void }).unref?.();
  }
}
