/**
 * Runs the consumer HTTP service (tests/fixtures/apps) as a program of its own, the way a
 * user runs their service, sends it requests over real HTTP, and stops it.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const APP_DIR = join(__dirname, '..', 'fixtures', 'apps');

export interface ConsumerRun {
  /** Each request's path and the body it got. */
  readonly responses: ReadonlyMap<string, string>;
  readonly stderr: string;
  readonly exitCode: number | null;
}

export interface ConsumerOptions {
  /** How the app sets up OpenTelemetry (see tests/fixtures/apps/tracing.ts). */
  readonly setup: string;
  readonly env: NodeJS.ProcessEnv;
  readonly nodeArgs?: readonly string[];
  /** The folder of the app's compiled files (default: this repository's build). */
  readonly appDir?: string;
  readonly paths: readonly string[];
}

function request(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** Starts the app, requests `paths` in order, asks it to quit, and resolves once it has exited. */
export async function runConsumerApp(options: ConsumerOptions): Promise<ConsumerRun> {
  const appDir = options.appDir ?? APP_DIR;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(appDir, 'http-service.js')], {
    cwd: appDir,
    env: { ...process.env, ...options.env, APP_SETUP: options.setup },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const ready = /READY (\d+)/.exec(stdout);
      if (ready) resolve(Number(ready[1]));
    });
    void exited.then((code) => reject(new Error(`the app exited (${code}) before it was ready: ${stderr}`)));
  });
  const responses = new Map<string, string>();
  for (const path of options.paths) responses.set(path, await request(port, path));
  await request(port, '/quit');
  return { responses, stderr, exitCode: await exited };
}

/**
 * A consumer app on `@opentelemetry/api` 1.10 with one copy of it: a folder whose
 * node_modules holds this repository's packages (symlinked) but the 1.10 API as
 * `@opentelemetry/api`, and worker-otp as an installed package. Run it with
 * `--preserve-symlinks`, so every package resolves the API from the app's node_modules.
 */
export function appOnApi110(): string {
  const base = mkdtempSync(join(tmpdir(), 'worker-otp-api110-'));
  const modules = join(base, 'node_modules');
  mkdirSync(modules);
  const source = join(ROOT, 'node_modules');
  for (const entry of readdirSync(source)) {
    if (entry.startsWith('.') || entry === 'worker-otp') continue;
    if (entry.startsWith('@')) {
      mkdirSync(join(modules, entry));
      for (const scoped of readdirSync(join(source, entry))) {
        const target = entry === '@opentelemetry' && scoped === 'api' ? join(source, 'opentelemetry-api-1.10') : join(source, entry, scoped);
        symlinkSync(target, join(modules, entry, scoped));
      }
    } else {
      symlinkSync(join(source, entry), join(modules, entry));
    }
  }
  const installed = join(modules, 'worker-otp');
  mkdirSync(installed);
  writeFileSync(join(installed, 'package.json'), readFileSync(join(ROOT, 'package.json')));
  symlinkSync(join(ROOT, 'dist'), join(installed, 'dist'));
  const app = join(base, 'app');
  mkdirSync(app);
  for (const file of readdirSync(APP_DIR)) if (file.endsWith('.js')) copyFileSync(join(APP_DIR, file), join(app, file));
  return app;
}
