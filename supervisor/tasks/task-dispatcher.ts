/**
 * How a TaskSupervisor's tasks reach its Piscina threads. Tasks wait in a queue on the
 * main thread and leave it in bundles, several tasks per Piscina task, sized to about a
 * millisecond of expected work (learnt per export from how long its tasks ran), so a
 * short task does not pay a message each way. Each thread holds up to two bundles, so it
 * never waits for the main thread between tasks, and runs their tasks one at a time.
 *
 * A task can be cancelled wherever it is: in the queue it is dropped; handed to a thread
 * but not started, it is marked in the shared slot table and the thread skips it; running,
 * its thread is ended (the only way to stop JavaScript that runs). When a thread ends,
 * the tasks it had not started go back to the front of the queue.
 */
import type { TransferListItem } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import { sendable } from '../../protocol/move';
import { isDataCloneError } from '../../errors';
import { envelope, type BundleDoneEnvelope, type TaskRequest, type TaskResponse } from '../../protocol/envelopes';
import { openSpans } from '../../protocol/stamp';
import { SLOT_DONE, SLOT_QUEUED, SLOT_RUNNING, type TaskSlots } from '../../protocol/task-slots';

/** Bundles a thread holds at once: the one it runs and the next. */
const BUNDLES_PER_THREAD = 2;
/** Expected work per bundle: long enough to amortise a message, short enough to keep results prompt. */
const BUNDLE_BUDGET_MICROS = 1000;
const MAX_BUNDLE_TASKS = 64;
/** A task requeued this often (its threads kept ending before it started) fails instead. */
const MAX_REQUEUES = 3;
/** Weight of the newest run time in an export's running estimate. */
const ESTIMATE_WEIGHT = 0.2;

/** Piscina 5 does not export its balancer type by name. */
type LoadBalancer = NonNullable<NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer']>;

interface Entry {
  readonly request: TaskRequest;
  /** What of its arguments moves (see `move`): once sent, they are the thread's. */
  readonly transfer: readonly TransferListItem[] | undefined;
  /** Which running estimate the task's run time feeds. */
  readonly estimateKey: string;
  readonly resolve: (response: TaskResponse) => void;
  readonly reject: (error: unknown) => void;
  settled: boolean;
  requeues: number;
  /** Sent in a bundle of its own: a bundle it was in could not be posted. */
  alone: boolean;
}

/** A submitted task: its response, and how to cancel it. */
export interface DispatchedTask {
  readonly response: Promise<TaskResponse>;
  /** Rejects `response` with `reason` at once and stops the task wherever it is. */
  cancel(reason: Error): void;
}

/**
 * Piscina options for a pool the dispatcher feeds: two bundles per thread, and a balancer
 * that prefers an idle thread, then starting a new one, and only then queueing a bundle
 * behind a busy thread. Tasks with an AbortSignal (warm-up barriers) only go to idle threads.
 */
export function dispatchedPoolOptions(maxThreads: number): { concurrentTasksPerWorker: number; loadBalancer: LoadBalancer } {
  return {
    concurrentTasksPerWorker: BUNDLES_PER_THREAD,
    loadBalancer: (task, workers) => {
      let leastBusy: ReturnType<LoadBalancer> = null;
      for (const worker of workers) {
        if (worker.currentUsage === 0) return worker;
        if (task.isAbortable || worker.isRunningAbortableTask || worker.currentUsage >= BUNDLES_PER_THREAD) continue;
        if (leastBusy === null || worker.currentUsage < leastBusy.currentUsage) leastBusy = worker;
      }
      return workers.length < maxThreads ? null : leastBusy;
    },
  };
}

export class TaskDispatcher {
  readonly #pool: Piscina;
  readonly #slots: TaskSlots;
  readonly #freeSlots: number[];
  readonly #maxBundles: number;
  /** Waiting tasks from `#head` on (slots before it are emptied); cancelled ones stay until they reach the head. */
  #queue: Array<Entry | undefined> = [];
  #head = 0;
  /** Bundles handed to the pool and not yet back. */
  readonly #bundles = new Set<Entry[]>();
  readonly #microsPerTask = new Map<string, number>();
  #closing = false;
  #idle: (() => void) | undefined;

  constructor(pool: Piscina, slots: TaskSlots, maxThreads: number) {
    this.#pool = pool;
    this.#slots = slots;
    this.#maxBundles = maxThreads * BUNDLES_PER_THREAD;
    this.#freeSlots = Array.from({ length: slots.capacity }, (_, slot) => slot);
  }

  /** Slots a pool of `maxThreads` threads needs: every task its bundles can hold. */
  static slotCapacity(maxThreads: number): number {
    return maxThreads * BUNDLES_PER_THREAD * MAX_BUNDLE_TASKS;
  }

  submit(request: TaskRequest, transfer?: readonly TransferListItem[]): DispatchedTask {
    let entry!: Entry;
    const response = new Promise<TaskResponse>((resolve, reject) => {
      entry = { request, transfer, estimateKey: `${request.mode}:${request.module}#${request.export}`, resolve, reject, settled: false, requeues: 0, alone: false };
    });
    this.#queue.push(entry);
    this.#pump();
    return { response, cancel: (reason) => this.#cancel(entry, reason) };
  }

  /** Tasks waiting in the queue, and tasks handed to threads (running, or next in a thread's bundle). */
  load(): { queued: number; inThreads: number; bundles: number } {
    let queued = 0;
    for (let index = this.#head; index < this.#queue.length; index++) if (this.#queue[index]?.settled === false) queued++;
    let inThreads = 0;
    for (const bundle of this.#bundles) inThreads += bundle.length;
    return { queued, inThreads, bundles: this.#bundles.size };
  }

  /** Resolves once every submitted task has settled; tasks that fail meanwhile are not requeued. */
  close(): Promise<void> {
    this.#closing = true;
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => (this.#idle = resolve));
  }

  /**
   * Cancels every task not settled, each with the error `reason` makes from its export's
   * name: queued ones are dropped, running ones have their threads ended.
   */
  cancelAll(reason: (label: string) => Error): void {
    for (const bundle of this.#bundles) {
      for (const entry of bundle) this.#cancel(entry, reason(entry.request.export));
    }
    for (let index = this.#head; index < this.#queue.length; index++) {
      const entry = this.#queue[index]!;
      if (!entry.settled) this.#fail(entry, reason(entry.request.export));
    }
    this.#queue = [];
    this.#head = 0;
    if (this.#idle && this.#isIdle()) this.#idle();
  }

  #isIdle(): boolean {
    return this.#bundles.size === 0 && this.#head === this.#queue.length;
  }

  #cancel(entry: Entry, reason: Error): void {
    if (entry.settled) return;
    const slot = entry.request.slot;
    if (slot >= 0 && !this.#slots.cancelIfQueued(slot) && this.#slots.state(slot) === SLOT_RUNNING) {
      const runner = this.#slots.runner(slot);
      void this.#pool.threads.find((thread) => thread.threadId === runner)?.terminate();
    }
    this.#fail(entry, reason);
  }

  #fail(entry: Entry, error: unknown): void {
    entry.settled = true;
    entry.reject(error);
  }

  #pump(): void {
    while (this.#bundles.size < this.#maxBundles) {
      const bundle = this.#nextBundle();
      if (bundle.length === 0) break;
      this.#send(bundle);
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    if (this.#idle && this.#isIdle()) this.#idle();
  }

  /** The next tasks to send: about a budget's worth, and a fair share of what waits. */
  #nextBundle(): Entry[] {
    const waiting = this.#queue.length - this.#head;
    const share = Math.ceil(waiting / (this.#maxBundles - this.#bundles.size));
    const limit = Math.min(MAX_BUNDLE_TASKS, this.#freeSlots.length, share);
    const bundle: Entry[] = [];
    let expectedMicros = 0;
    while (this.#head < this.#queue.length && bundle.length < limit) {
      const entry = this.#queue[this.#head]!;
      if (!entry.settled) {
        // A task never seen before is assumed to fill a bundle: it goes alone until measured.
        const micros = entry.alone ? Infinity : (this.#microsPerTask.get(entry.estimateKey) ?? BUNDLE_BUDGET_MICROS);
        if (bundle.length > 0 && expectedMicros + micros > BUNDLE_BUDGET_MICROS) break;
        bundle.push(entry);
        expectedMicros += micros;
      }
      this.#queue[this.#head++] = undefined;
    }
    return bundle;
  }

  #send(bundle: Entry[]): void {
    const tasks = bundle.map((entry) => {
      const slot = this.#freeSlots.pop()!;
      this.#slots.queue(slot);
      entry.request.slot = slot;
      return entry.request;
    });
    this.#bundles.add(bundle);
    // Checked again now: a buffer may have been moved elsewhere while its task waited.
    const transfer = sendable(bundle.flatMap((entry) => entry.transfer ?? []));
    (this.#pool.run(envelope.bundle(tasks), transfer ? { transferList: transfer } : undefined) as Promise<BundleDoneEnvelope>).then(
      (response) => this.#finish(bundle, response, undefined),
      (error: unknown) => this.#finish(bundle, undefined, error),
    );
  }

  #finish(bundle: Entry[], response: BundleDoneEnvelope | undefined, error: unknown): void {
    const requeued = response ? this.#deliver(bundle, response) : this.#salvage(bundle, error);
    for (const entry of bundle) {
      this.#freeSlots.push(entry.request.slot);
      entry.request.slot = -1;
    }
    if (requeued.length > 0) this.#queue.splice(this.#head, 0, ...requeued);
    this.#bundles.delete(bundle);
    this.#pump();
  }

  #deliver(bundle: Entry[], response: BundleDoneEnvelope): Entry[] {
    openSpans(response);
    for (let index = 0; index < bundle.length; index++) {
      const result = response.results[index];
      const entry = bundle[index]!;
      if (!result) continue;
      const estimate = this.#microsPerTask.get(entry.estimateKey);
      this.#microsPerTask.set(entry.estimateKey, estimate === undefined ? result.micros : estimate + ESTIMATE_WEIGHT * (result.micros - estimate));
      if (!entry.settled) {
        entry.settled = true;
        entry.resolve(result);
      }
    }
    return [];
  }

  /** A bundle that came back without results: requeues the tasks that never started, fails the rest. */
  #salvage(bundle: Entry[], error: unknown): Entry[] {
    const unposted = isDataCloneError(error) && bundle.length > 1;
    const requeued: Entry[] = [];
    for (const entry of bundle) {
      if (entry.settled) continue;
      const state = this.#slots.state(entry.request.slot);
      if (unposted) {
        // One task's arguments could not be cloned; sent alone, only that one fails.
        entry.alone = true;
        requeued.push(entry);
      } else if (state === SLOT_QUEUED && !this.#closing && entry.requeues < MAX_REQUEUES && !isDataCloneError(error) && entry.transfer === undefined) {
        // (Moved arguments went with the thread: such a task cannot be sent again.)
        entry.requeues += 1;
        requeued.push(entry);
      } else if (state === SLOT_DONE) {
        this.#fail(entry, new Error(`it finished, but its thread ended (${(error as Error)?.message ?? String(error)}) before the result was sent`));
      } else {
        this.#fail(entry, error);
      }
    }
    return requeued;
  }
}
