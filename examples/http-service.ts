/**
 * An HTTP service that already runs OpenTelemetry (the Node SDK, see
 * http-service-tracing.ts) and answers from worker-otp: users from the reference's
 * UserCache GenServer, reports from tasks on a pool. Nothing in it wires tracing to
 * worker-otp: every request is one trace across the main thread, the cache's thread and
 * the pool's threads, exported by the SDK. Run after `npm run build`:
 *
 *   node dist/examples/http-service.js
 *
 * It starts, sends itself a few requests, stops, and prints each request's trace (or
 * exports them to OTEL_EXPORTER_OTLP_ENDPOINT). Exit code 0 when every trace had the
 * intended shape.
 */
import { localSpans, sdk } from './http-service-tracing';
import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { TaskSupervisor, awaitMany, startGenServer, taskRef } from '../index';
import type * as ReportTasks from './report-tasks';
import type UserCacheServer from './user-cache-server';
import { printTraces } from './support/print-traces';

const tasksModule = join(__dirname, 'report-tasks.js');
const fetchUser = taskRef<typeof ReportTasks, 'fetchUser'>(tasksModule, 'fetchUser');
const fetchAnalytics = taskRef<typeof ReportTasks, 'fetchAnalytics'>(tasksModule, 'fetchAnalytics');

function request(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** Problems with the traces: each request must be one trace through the cache or the pool. */
function checkTraces(spans: readonly ReadableSpan[]): string[] {
  const problems: string[] = [];
  const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
  const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');
  const named = (name: string) => spans.filter((span) => span.name === name);
  for (const [child, parent] of [
    ['user_cache.call', 'GET'],
    ['user_cache.handle_call', 'user_cache.call'],
    ['user_cache.fetch_from_db', 'user_cache.handle_call.get_user'],
    ['fetchUser.submit', 'GET'],
    ['fetchUser.run', 'fetchUser.submit'],
    ['report_generator.fetch_user', 'fetchUser.run'],
  ]) {
    const found = named(child!);
    if (found.length === 0) problems.push(`no ${child} span`);
    for (const span of found) if (parentOf(span)?.name !== parent) problems.push(`${child} is not under ${parent}`);
  }
  for (const span of spans) if (span.parentSpanContext && !byId.has(span.parentSpanContext.spanId)) problems.push(`${span.name} has no parent`);
  return problems;
}

async function main(): Promise<void> {
  const cache = await startGenServer<typeof UserCacheServer>(join(__dirname, 'user-cache-server.js'), { ttl: 600 }, { name: 'user_cache' });
  const reports = TaskSupervisor.start({ name: 'reports', maxThreads: 2 });
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const [, resource, id] = (incoming.url ?? '/').split('/');
    const userId = Number(id);
    const answer =
      resource === 'users'
        ? cache.call({ type: 'get_user', userId })
        : awaitMany([reports.async(fetchUser, userId), reports.async(fetchAnalytics, userId)]).then(([user, analytics]) => ({ user, analytics }));
    answer.then(
      (body) => response.end(JSON.stringify(body)),
      (error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  for (const path of ['/users/42', '/users/42', '/reports/7']) console.log(`GET ${path} -> ${await request(port, path)}`);
  server.close();
  await cache.stop();
  await reports.shutdown();
  // The in-memory exporter forgets its spans when it shuts down: take them first.
  const spans = [...(localSpans?.getFinishedSpans() ?? [])];
  await sdk.shutdown();
  if (localSpans) {
    printTraces(spans, { colour: Boolean(process.stdout.isTTY) });
    const problems = checkTraces(spans);
    for (const problem of problems) console.error(`trace problem: ${problem}`);
    process.exitCode = problems.length === 0 ? 0 : 1;
  } else {
    console.log('spans exported by the SDK to the configured collector');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
