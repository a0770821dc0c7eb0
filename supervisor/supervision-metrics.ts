/**
 * The supervision layer's metrics (see `runtime/runtime-metrics.ts` for the rest, and how
 * instruments are made): restarts, restart intensity reached, and task pools.
 *
 * | instrument | kind | unit | attributes |
 * |---|---|---|---|
 * | `worker_otp.supervisor.restarts` | counter | `{restart}` | `worker_otp.supervisor.name`, `worker_otp.child.id` |
 * | `worker_otp.supervisor.restart_intensity.reached` | counter | `{event}` | `worker_otp.supervisor.name` |
 * | `worker_otp.tasks` | counter | `{task}` | `worker_otp.task.supervisor`, `worker_otp.task.outcome` |
 * | `worker_otp.task.wait.duration` | histogram | `s` | `worker_otp.task.supervisor` |
 * | `worker_otp.task.run.duration` | histogram | `s` | `worker_otp.task.supervisor` |
 * | `worker_otp.task.queue.depth` | observable gauge | `{task}` | `worker_otp.task.supervisor` |
 *
 * Pool threads join the utilisation gauge (`thread.name` `<pool>#<threadId>`).
 */
import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import { DURATION_BUCKETS, addThreadSource, metricsOf, type ObservedThread } from '../runtime/runtime-metrics';
import { ATTR_TASK_SUPERVISOR } from '../telemetry/record/attributes';

export const ATTR_TASK_OUTCOME = 'worker_otp.task.outcome';

interface SupervisionInstruments {
  readonly restarts: Counter;
  readonly intensityReached: Counter;
  readonly tasks: Counter;
  readonly taskWait: Histogram;
  readonly taskRun: Histogram;
}

/** What the pool gauges read of a task supervisor. */
export interface WatchedPool {
  readonly name: string;
  /** Tasks waiting for a thread. */
  load(): { readonly queued: number };
  observedThreads(): Iterable<ObservedThread>;
}

const made = new WeakMap<Meter, SupervisionInstruments>();
/** The task supervisors running (they add and remove themselves). */
const pools = new Set<WatchedPool>();

/** A task supervisor starts reporting; returns what ends it (at its shutdown). */
export function watchPool(pool: WatchedPool): () => void {
  pools.add(pool);
  return () => pools.delete(pool);
}

/** The supervision instruments, or `undefined` without a MeterProvider. */
export function supervisionMetrics(): SupervisionInstruments | undefined {
  return metricsOf(made, makeInstruments);
}

function makeInstruments(meter: Meter): SupervisionInstruments {
  const duration = (name: string, description: string) =>
    meter.createHistogram(name, { unit: 's', description, advice: { explicitBucketBoundaries: DURATION_BUCKETS } });
  meter
    .createObservableGauge('worker_otp.task.queue.depth', { unit: '{task}', description: 'Tasks submitted to a task supervisor and waiting for a thread' })
    .addCallback((result) => {
      for (const pool of pools) result.observe(pool.load().queued, { [ATTR_TASK_SUPERVISOR]: pool.name });
    });
  addThreadSource(function* () {
    for (const pool of pools) yield* pool.observedThreads();
  });
  return {
    restarts: meter.createCounter('worker_otp.supervisor.restarts', { unit: '{restart}', description: 'Children restarted, by supervisor and child' }),
    intensityReached: meter.createCounter('worker_otp.supervisor.restart_intensity.reached', {
      unit: '{event}',
      description: 'Supervisors that saw more restarts than their intensity allows, and exited',
    }),
    tasks: meter.createCounter('worker_otp.tasks', { unit: '{task}', description: 'Tasks settled, by outcome' }),
    taskWait: duration('worker_otp.task.wait.duration', 'How long a task waited for a thread'),
    taskRun: duration('worker_otp.task.run.duration', 'How long a task ran on its thread'),
  };
}
