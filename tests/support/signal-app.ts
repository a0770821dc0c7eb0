/**
 * Runs the signal-app probe (tests/fixtures/probes/signal-app.ts) in a process of its own,
 * sends it signals once its load runs, and reports how it ended: the reliability tests
 * and the soak's signal rounds use it.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface SignalAppRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What the app completed before the stop ended its load (absent when it never got there). */
  readonly counts: { calls: number; tasks: number; appHandler: boolean } | undefined;
  /** The `<tag> <exit reason>` lines its processes' terminate wrote, in order. */
  readonly terminated: string[];
  /** From the first signal to the process's end. */
  readonly msAfterSignal: number;
}

export interface SignalAppOptions {
  /** Where its processes write from terminate (removed first). */
  readonly report: string;
  /** The OTLP/HTTP traces URL it exports to. */
  readonly endpoint: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Sent once the load runs, `gapMs` apart. Default one SIGTERM. */
  readonly signals?: readonly NodeJS.Signals[];
  readonly gapMs?: number;
}

export function runSignalApp(options: SignalAppOptions): Promise<SignalAppRun> {
  const { report, signals = ['SIGTERM'], gapMs = 0 } = options;
  rmSync(report, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'fixtures', 'probes', 'signal-app.js')], {
      env: { ...process.env, ...options.env, REPORT: report, ENDPOINT: options.endpoint },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalledAt = 0;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (signalledAt === 0 && stdout.includes('ready\n')) {
        signalledAt = performance.now();
        signals.forEach((signal, index) => setTimeout(() => child.kill(signal), index * gapMs));
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (signalledAt === 0) return reject(new Error(`the signal app ended before it was ready (${code ?? signal}): ${stderr}`));
      const last = stdout.trim().split('\n').at(-1)!;
      let terminated: string[] = [];
      try {
        terminated = readFileSync(report, 'utf8').trim().split('\n');
      } catch {
        // no process ran terminate
      }
      resolve({
        code,
        signal,
        counts: last.startsWith('{') ? (JSON.parse(last) as SignalAppRun['counts']) : undefined,
        terminated,
        msAfterSignal: performance.now() - signalledAt,
      });
    });
  });
}
