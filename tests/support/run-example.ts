import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface ExampleRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a compiled example as its own Node process, the way a user would. */
export function runExample(name: string, env: NodeJS.ProcessEnv = {}, args: readonly string[] = [], timeoutMs = 60_000): Promise<ExampleRun> {
  const script = join(__dirname, '..', '..', 'examples', `${name}.js`);
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
