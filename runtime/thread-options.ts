/**
 * What the threads worker-otp starts inherit from the application's process, less its
 * OpenTelemetry preload. Node runs `--require`/`--import` preloads (from the command line
 * or `NODE_OPTIONS`) again in every worker thread: the zero-code preload
 * (`@opentelemetry/auto-instrumentations-node/register`) would boot a second SDK in each
 * one, ~800 ms per thread, and its spans would never join the application's. worker-otp's
 * threads record with their own slim tracer and hand their spans to the main thread's SDK,
 * so they leave out every preload under `@opentelemetry/`, and run with
 * `OTEL_SDK_DISABLED=true`, so a preload of the application's own that starts an SDK does
 * nothing there. Other preloads (a TypeScript loader such as tsx) stay.
 */

import { Worker } from 'node:worker_threads';

const PRELOAD_FLAGS = new Set(['--require', '-r', '--import', '--loader', '--experimental-loader']);
/** A module specifier or path inside an OpenTelemetry package. */
const OPENTELEMETRY = /(^|[\\/])@opentelemetry[\\/]/;

/** `args` (node options) without the preloads of OpenTelemetry packages. */
export function withoutTelemetryPreloads(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const equals = arg.indexOf('=');
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    if (!PRELOAD_FLAGS.has(flag)) {
      kept.push(arg);
      continue;
    }
    const value = equals > 0 ? arg.slice(equals + 1) : args[index + 1];
    if (value !== undefined && OPENTELEMETRY.test(value)) {
      if (equals < 0) index++;
      continue;
    }
    kept.push(arg);
  }
  return kept;
}

/** Splits `NODE_OPTIONS` the way Node does: on spaces, with double quotes around a value that has some. */
function splitNodeOptions(options: string): string[] {
  return [...options.matchAll(/"((?:\\.|[^"\\])*)"|(\S+)/g)].map((match) => match[1]?.replace(/\\(.)/g, '$1') ?? match[2]!);
}

function joinNodeOptions(args: readonly string[]): string {
  return args.map((arg) => (/\s|"/.test(arg) ? `"${arg.replace(/(["\\])/g, '\\$1')}"` : arg)).join(' ');
}

/** The flags listed in Node's ERR_WORKER_INVALID_EXEC_ARGV message. */
function invalidFlags(error: unknown): string[] {
  const listed = /invalid execArgv flags: (.*)$/.exec((error as Error).message)?.[1];
  return listed ? listed.split(', ') : [];
}

let checked: { given: string; execArgv: string[] } | undefined;

/**
 * `args` as a worker accepts them. Given no `execArgv`, a worker inherits what it can of
 * its parent's options and ignores the rest (V8 and process-wide options such as
 * `--expose-gc`); given a list, Node refuses any of those. So a list is checked once, by
 * starting a throwaway thread (the check happens before the thread starts when it fails),
 * and what Node refuses is left out, as it would have been.
 */
function acceptedByWorkers(args: string[]): string[] {
  const given = JSON.stringify(args);
  if (checked?.given === given) return checked.execArgv;
  let execArgv = args;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      void new Worker('', { eval: true, execArgv, stdout: true, stderr: true }).terminate();
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
      const refused = new Set(invalidFlags(error));
      execArgv = execArgv.filter((arg) => !refused.has(arg));
    }
  }
  checked = { given, execArgv };
  return execArgv;
}

/** The `execArgv` (only when something was left out) and `env` of a thread worker-otp starts. */
export function threadProcessOptions(): { execArgv?: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env, OTEL_SDK_DISABLED: 'true' };
  const nodeOptions = process.env.NODE_OPTIONS;
  if (nodeOptions?.includes('@opentelemetry')) env.NODE_OPTIONS = joinNodeOptions(withoutTelemetryPreloads(splitNodeOptions(nodeOptions)));
  const execArgv = withoutTelemetryPreloads(process.execArgv);
  return execArgv.length === process.execArgv.length ? { env } : { execArgv: acceptedByWorkers(execArgv), env };
}
