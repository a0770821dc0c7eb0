/**
 * The OpenTelemetry API and context manager, as this thread loads them; every runtime
 * module that runs in worker threads takes them from here.
 *
 * The main thread uses the application's own `@opentelemetry/api`, so tracers it obtained
 * before telemetry started follow the provider registered then. Worker threads load
 * single-file builds of the same versions (`dist/vendor/`, made by `npm run build`): the
 * packages' ~60 modules cost each new thread ~12 ms to load. Copies of one API version
 * share one global registry, and a thread registers before it loads application code, so
 * an application module that imports `@opentelemetry/api` itself sees the runtime's
 * provider, context manager and propagator.
 */
import { isMainThread } from 'node:worker_threads';
import type * as Api from '@opentelemetry/api';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';

/* eslint-disable @typescript-eslint/no-require-imports -- which copy loads depends on the thread */
const api: typeof Api = isMainThread ? require('@opentelemetry/api') : require('../vendor/opentelemetry-api.js');
const contextAsyncHooks: typeof ContextAsyncHooks = isMainThread
  ? require('@opentelemetry/context-async-hooks')
  : require('../vendor/opentelemetry-context-async-hooks.js');
/* eslint-enable @typescript-eslint/no-require-imports */

export const {
  ROOT_CONTEXT,
  ProxyTracerProvider,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  createContextKey,
  createTraceState,
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
export const INSTRUMENTATION_VERSION = '0.1.0';
