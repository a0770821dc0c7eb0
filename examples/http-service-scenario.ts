/**
 * The demo's view of the HTTP service example (http-service.ts): it runs as a program of
 * its own, since it brings its own OpenTelemetry SDK, which is process-wide. Its output
 * (the requests, then each request's trace) is shown here; it checks its traces itself.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ScenarioFailure, type Scenario } from './support/scenario';

export const scenario: Scenario = {
  name: 'http-service',
  summary: 'an HTTP service on the Node SDK answering from a GenServer and a task pool: one trace per request, no wiring',
  async run({ log }) {
    const child = spawn(process.execPath, [join(__dirname, 'http-service.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line) log(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new ScenarioFailure(`the HTTP service example exited with ${code}: ${stderr.trim()}`);
  },
};
