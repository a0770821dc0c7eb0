/**
 * The OpenTelemetry API and context manager, as this thread loads them; every runtime
 * module takes them from here.
 *
 * The main thread uses the application's own `@opentelemetry/api` (a peer dependency: one
 * copy in the app), so worker-otp sees what the application registered. It publishes where
 * that copy is and its version to every thread it creates afterwards. A worker thread
 * loads a single-file build of the API made by `npm run build` (`dist/vendor/`; the
 * package's ~50 modules cost each new thread ~10 ms) when it is the application's version,
 * else the application's copy itself: the API's global registry refuses a registration by
 * an older version than the code that reads it, so the thread must register with the
 * version application code there imports. The context manager is always the vendored
 * build (worker-otp needs it only where it sets up telemetry itself).
 */
import { dirname, join } from 'node:path';
import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import type * as Api from '@opentelemetry/api';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';

/** Where the application's `@opentelemetry/api` is, for threads (environment data key). */
const APP_API_KEY = 'worker-otp:opentelemetry-api';

interface AppApi {
  readonly path: string;
  readonly version: string | undefined;
}

/** The version of the package whose entry point is `entry` (its manifest is above it; its `exports` hide it). */
function versionAt(entry: string): string | undefined {
  for (let directory = dirname(entry); directory !== dirname(directory); directory = dirname(directory)) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === '@opentelemetry/api') return manifest.version;
    } catch {
      // no manifest at this level
    }
  }
  return undefined;
}

/* eslint-disable @typescript-eslint/no-require-imports -- which copy loads depends on the thread */
function loadApi(): typeof Api {
  if (isMainThread) {
    const path = require.resolve('@opentelemetry/api');
    setEnvironmentData(APP_API_KEY, { path, version: versionAt(path) } satisfies AppApi);
    return require(path);
  }
  const app = getEnvironmentData(APP_API_KEY) as AppApi | undefined;
  const vendored = (require('../vendor/versions.json') as Record<string, string>)['@opentelemetry/api'];
  return app !== undefined && app.version !== vendored ? require(app.path) : require('../vendor/opentelemetry-api.js');
}

const api = loadApi();
const contextAsyncHooks: typeof ContextAsyncHooks = require('../vendor/opentelemetry-context-async-hooks.js');
/* eslint-enable @typescript-eslint/no-require-imports */

export const {
  ROOT_CONTEXT,
  ProxyTracerProvider,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  createContextKey,
  diag,
  propagation,
  trace,
} = api;
export type SpanKind = Api.SpanKind;
export type SpanStatusCode = Api.SpanStatusCode;
export type TraceFlags = Api.TraceFlags;
export const { AsyncLocalStorageContextManager } = contextAsyncHooks;

/** The instrumentation scope of the spans worker-otp records itself. */
export const INSTRUMENTATION_NAME = 'worker-otp';
/** Kept in step with package.json (a test checks). */
export const INSTRUMENTATION_VERSION = '0.2.0';
