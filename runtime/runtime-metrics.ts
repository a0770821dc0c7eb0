/**
 * worker-otp's metrics, through the OpenTelemetry metrics API and the application's
 * MeterProvider (see `telemetry/metrics/meter.ts`): made for a meter the first time
 * something is recorded or a process starts under it; nothing at all without a provider.
 *
 * Names follow the semantic conventions' style under `worker_otp.`; attributes keep
 * cardinality bounded: processes are told apart by their label (registered name, the
 * definition's name or the module's), never by pid; threads by their name.
 *
 * | instrument | kind | unit | attributes |
 * |---|---|---|---|
 * | `worker_otp.process.count` | observable up-down counter | `{process}` | `worker_otp.process.name` |
 * | `worker_otp.process.mailbox.depth` | observable gauge | `{message}` | `worker_otp.process.name` |
 * | `worker_otp.process.message.duration` | histogram | `s` | `worker_otp.process.name`, `worker_otp.callback` |
 * | `worker_otp.process.exits` | counter | `{exit}` | `worker_otp.process.name`, `worker_otp.exit.reason` |
 * | `worker_otp.call.timeouts` | counter | `{call}` | `worker_otp.process.name` (the caller, or `main`) |
 * | `worker_otp.thread.event_loop.utilization` | observable gauge | `1` | `thread.name` (`main`, processes, pool threads) |
 * | `worker_otp.thread.heap.used` | observable gauge | `By` | `thread.name` (`main`, processes that report it) |
 * | `worker_otp.spans.exported`, `.dropped`, `.failed` | observable counters | `{span}` | (worker-otp's own setup) |
 *
 * The supervision layer adds restarts, restart intensity and task pools (see
 * `supervisor/supervision-metrics.ts`) through {@link metricsOf}.
 */
import type { Worker } from 'node:worker_threads';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Counter, Histogram, Meter, ObservableResult } from '@opentelemetry/api';
import { CALLBACKS } from '../protocol/process-gauges';
import { currentMeter } from '../telemetry/metrics/meter';
import { ATTR_PROCESS_NAME, ATTR_THREAD_NAME } from '../telemetry/record/attributes';
import type { ProcessRecord } from './process-record';
import { processTable } from './process-table';
import { currentTelemetry } from './telemetry';

const ATTR_CALLBACK = 'worker_otp.callback';

/** Bucket bounds of handling and task times, seconds: 10 µs to 10 s. */
export const DURATION_BUCKETS = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
/** How often handling times are moved from the processes' rings to the histogram, when nothing collects sooner. */
const DRAIN_EVERY_MS = 1000;

/** A thread the utilisation and heap gauges report on. */
export interface ObservedThread {
  readonly name: string;
  /** What tells its event loop's utilisation: its `Worker`'s `performance`, or the main thread's. */
  readonly performance: Pick<Worker['performance'], 'eventLoopUtilization'>;
  /** Identifies it from one collection to the next (its `Worker`). */
  readonly key: object;
  /** Its heap used, bytes, when it reports it. */
  heapUsed(): number | undefined;
}

/** The main thread, for the utilisation and heap gauges. */
const MAIN_THREAD: ObservedThread = { name: 'main', performance, key: process, heapUsed: () => process.memoryUsage().heapUsed };

interface ProcessInstruments {
  readonly exits: Counter;
  readonly timeouts: Counter;
  readonly handling: Histogram;
}

const made = new WeakMap<Meter, ProcessInstruments>();
/** Where threads to report on come from: processes here, pool threads from the supervision layer. */
const threadSources = new Set<() => Iterable<ObservedThread>>();
let drainTimer: NodeJS.Timeout | undefined;

/** Adds a source of threads for the utilisation and heap gauges; returns its removal. */
export function addThreadSource(source: () => Iterable<ObservedThread>): () => void {
  threadSources.add(source);
  return () => threadSources.delete(source);
}

/**
 * What `make` builds on the current meter, once per meter (`undefined` without one): how
 * each layer keeps its instruments.
 */
export function metricsOf<T extends object>(cache: WeakMap<Meter, T>, make: (meter: Meter) => T): T | undefined {
  const meter = currentMeter();
  if (meter === undefined) return undefined;
  let instruments = cache.get(meter);
  if (instruments === undefined) cache.set(meter, (instruments = make(meter)));
  return instruments;
}

/**
 * Moves handling times at least once a second while a process that records them runs, so a
 * busy process's ring does not wrap between collections; stops when none is left.
 */
export function keepDraining(): void {
  drainTimer ??= setInterval(() => {
    if (![...processTable.registry.live()].some((record) => record.gauges !== undefined)) {
      clearInterval(drainTimer);
      drainTimer = undefined;
      return;
    }
    drainProcessGauges();
  }, DRAIN_EVERY_MS).unref();
}

/** The process instruments, or `undefined` without a MeterProvider. */
export function processMetrics(): ProcessInstruments | undefined {
  return metricsOf(made, makeProcessInstruments);
}

/** Moves each process's recorded handling times and timed-out calls into the instruments. */
export function drainProcessGauges(record?: ProcessRecord): void {
  const instruments = processMetrics();
  if (instruments === undefined) return;
  const records = record ? [record] : processTable.registry.live();
  for (const { gauges, label } of records) {
    if (gauges === undefined) continue;
    gauges.drain((callback, seconds) => instruments.handling.record(seconds, { [ATTR_PROCESS_NAME]: label, [ATTR_CALLBACK]: CALLBACKS[callback] }));
    const timeouts = gauges.takeTimeouts();
    if (timeouts > 0) instruments.timeouts.add(timeouts, { [ATTR_PROCESS_NAME]: label });
  }
}

function makeProcessInstruments(meter: Meter): ProcessInstruments {
  const instruments: ProcessInstruments = {
    exits: meter.createCounter('worker_otp.process.exits', { unit: '{exit}', description: 'Processes that exited, by exit reason' }),
    timeouts: meter.createCounter('worker_otp.call.timeouts', { unit: '{call}', description: 'Calls that got no reply within their timeout, by caller' }),
    handling: meter.createHistogram('worker_otp.process.message.duration', {
      unit: 's',
      description: 'How long a process took to handle a message, by callback',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
  };
  const counted = new Set<string>();
  const queued = new Set<string>();
  meter
    .createObservableUpDownCounter('worker_otp.process.count', { unit: '{process}', description: 'Processes alive' })
    .addCallback((result) => {
      // Collection moves the handling times first, so they are in this collection.
      drainProcessGauges();
      observeByLabel(result, counted, () => 1);
    });
  meter
    .createObservableGauge('worker_otp.process.mailbox.depth', { unit: '{message}', description: 'Messages sent to processes and not yet taken for handling' })
    .addCallback((result) => observeByLabel(result, queued, (record) => record.mailbox?.depth()));
  const previous = new WeakMap<object, EventLoopUtilization>();
  meter
    .createObservableGauge('worker_otp.thread.event_loop.utilization', { unit: '1', description: "Share of the time a thread's event loop was busy since the last collection" })
    .addCallback((result) => {
      for (const thread of observedThreads()) {
        const now = thread.performance.eventLoopUtilization();
        const before = previous.get(thread.key);
        previous.set(thread.key, now);
        const utilisation = before ? thread.performance.eventLoopUtilization(now, before).utilization : now.utilization;
        result.observe(Math.min(1, Math.max(0, utilisation)), { [ATTR_THREAD_NAME]: thread.name });
      }
    });
  meter
    .createObservableGauge('worker_otp.thread.heap.used', { unit: 'By', description: "V8 heap used by a thread's isolate" })
    .addCallback((result) => {
      for (const thread of observedThreads()) {
        const used = thread.heapUsed();
        if (used !== undefined && used > 0) result.observe(used, { [ATTR_THREAD_NAME]: thread.name });
      }
    });
  for (const [name, field, description] of [
    ['exported', 'exportedSpans', 'Spans the exporter accepted'],
    ['dropped', 'droppedSpans', 'Spans dropped because the export queue was full'],
    ['failed', 'failedSpans', 'Spans lost in failed exports'],
  ] as const) {
    meter.createObservableCounter(`worker_otp.spans.${name}`, { unit: '{span}', description }).addCallback((result) => {
      const stats = currentTelemetry()?.stats;
      if (stats) result.observe(stats[field]);
    });
  }
  return instruments;
}

/**
 * Observes `value` of each live process, summed over processes with the same label; a
 * label seen before with no process now is observed as 0 (an SDK keeps reporting an
 * attribute set's last value otherwise).
 */
function observeByLabel(result: ObservableResult, seen: Set<string>, value: (record: ProcessRecord) => number | undefined): void {
  const sums = new Map<string, number>();
  for (const record of processTable.registry.live()) {
    const own = value(record);
    if (own !== undefined) sums.set(record.label, (sums.get(record.label) ?? 0) + own);
  }
  for (const label of seen) if (!sums.has(label)) sums.set(label, 0);
  for (const [label, sum] of sums) {
    seen.add(label);
    result.observe(sum, { [ATTR_PROCESS_NAME]: label });
  }
}

function* observedThreads(): Iterable<ObservedThread> {
  yield MAIN_THREAD;
  for (const record of processTable.registry.live()) {
    yield { name: record.label, performance: record.worker.performance, key: record.worker, heapUsed: () => record.gauges?.heapUsed };
  }
  for (const source of threadSources) yield* source();
}
