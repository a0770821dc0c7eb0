/**
 * The reference ReportGenerator's fetches, as task functions that run on a
 * TaskSupervisor's threads. Each opens its `report_generator.fetch_*` span with the plain
 * OpenTelemetry API; the caller's context is already active here, with no Ctx.attach.
 */
import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('report-generator');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fetchSpan<T>(name: string, event: string, userId: number, delayMs: number, result: T): Promise<T> {
  return tracer.startActiveSpan(`report_generator.${name}`, async (span) => {
    span.addEvent(event, { user_id: userId });
    await sleep(delayMs);
    span.end();
    return result;
  });
}

export type User = { id: number; name: string };
export type Analytics = { page_views: number; sessions: number };
export type Transactions = Array<{ amount: number }>;

export function fetchUser(userId: number): Promise<User> {
  return fetchSpan('fetch_user', 'fetching_user_data', userId, 50, { id: userId, name: `User ${userId}` });
}

export function fetchAnalytics(userId: number): Promise<Analytics> {
  return fetchSpan('fetch_analytics', 'fetching_analytics', userId, 100, { page_views: 1000, sessions: 50 });
}

export function fetchTransactions(userId: number): Promise<Transactions> {
  return fetchSpan('fetch_transactions', 'fetching_transactions', userId, 75, [{ amount: 100 }, { amount: 200 }]);
}
