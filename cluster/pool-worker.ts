/**
 * The taking side of a cluster task pool: this node's slots, each taking one task at a
 * time, only while it is free (a pull), and running it on the local `TaskSupervisor` in
 * the submitter's trace context. Without `durable`, a free slot is a one-message
 * subscription in the pool's queue group, renewed when its task is done (and announced,
 * so that submitters holding tasks send one); with `durable`, a slot asks the JetStream
 * consumer for the next task.
 */
import { context, diag } from '@opentelemetry/api';
import type { MsgHdrs, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { JsMsg } from '@nats-io/jetstream';
import { ClusterError, TaskCancelledError } from '../errors';
import type { Task, TaskRef } from '../protocol/task';
import { startTimeout } from '../protocol/timeouts';
import type { TaskSupervisor } from '../supervisor';
import type { DurableQueue } from './durable-queue';
import type { PoolSubjects } from './names';
import { STARTED, type TaskMessage } from './task-wire';
import { extractHeaders } from './trace-headers';
import { bodyLimit, decode, encode, encodeOutcome } from './wire';

/** How long one pull waits for a task before asking again (it also bounds how long closing waits for it). */
const PULL_EXPIRES_MS = 1000;
/** Cancellations remembered, for tasks cancelled before they arrive here. */
const MAX_CANCELLED = 10_000;

export interface DurableOptions {
  readonly queue: DurableQueue;
  readonly deliveryLimit: number;
  readonly redeliverAfterMs: number;
}

export class PoolWorker {
  readonly #nc: NatsConnection;
  readonly #subjects: PoolSubjects;
  readonly #supervisor: TaskSupervisor;
  readonly #node: string;
  readonly #durable: DurableOptions | undefined;
  readonly #running = new Map<string, Task<unknown>>();
  readonly #cancelled = new Set<string>();
  readonly #slots = new Set<Subscription>();
  readonly #pulls: Promise<void>[] = [];
  #cancelSubscription: Subscription | undefined;
  #closed = false;

  constructor(nc: NatsConnection, subjects: PoolSubjects, supervisor: TaskSupervisor, node: string, durable: DurableOptions | undefined) {
    this.#nc = nc;
    this.#subjects = subjects;
    this.#supervisor = supervisor;
    this.#node = node;
    this.#durable = durable;
  }

  /** Opens `slots` slots. */
  start(slots: number): void {
    this.#cancelSubscription = this.#nc.subscribe(this.#subjects.cancel, { callback: (_error, message) => this.#cancel(message.string()) });
    for (let slot = 0; slot < slots; slot++) {
      if (this.#durable) this.#pulls.push(this.#pull(this.#durable));
      else this.#take();
    }
    if (!this.#durable) for (let slot = 0; slot < slots; slot++) this.#nc.publish(this.#subjects.free);
  }

  /**
   * Takes no more tasks, and gives those running `timeoutMs` to finish; then they are
   * cancelled (a durable one is handed back to the queue, for another node).
   */
  async close(timeoutMs: number): Promise<void> {
    this.#closed = true;
    for (const slot of this.#slots) slot.unsubscribe();
    this.#cancelSubscription?.unsubscribe();
    const finished = Promise.all([...this.#running.values()].map((task) => task.outcome()));
    const timer = startTimeout(timeoutMs, () => {
      for (const task of this.#running.values()) void task.shutdown();
    });
    await finished;
    if (timer) clearTimeout(timer);
    await Promise.all(this.#pulls);
  }

  #take(): void {
    const slot = this.#nc.subscribe(this.#subjects.work, {
      queue: 'workers',
      max: 1,
      callback: (_error, message) => {
        this.#slots.delete(slot);
        void this.#serve(message.data, message.headers).finally(() => {
          if (this.#closed || this.#nc.isClosed()) return;
          this.#take();
          this.#nc.publish(this.#subjects.free);
        });
      },
    });
    this.#slots.add(slot);
  }

  async #pull(durable: DurableOptions): Promise<void> {
    while (!this.#closed) {
      let message: JsMsg | null;
      try {
        message = await durable.queue.consumer.next({ expires: PULL_EXPIRES_MS });
      } catch (error) {
        diag.debug('worker-otp cluster: a durable pool pull failed; trying again', error);
        await new Promise((resolve) => setTimeout(resolve, PULL_EXPIRES_MS).unref());
        continue;
      }
      if (message === null) continue;
      if (this.#closed) {
        message.nak();
        return;
      }
      await this.#serveDurable(message, durable);
    }
  }

  async #serveDurable(message: JsMsg, durable: DurableOptions): Promise<void> {
    if (message.info.deliveryCount > durable.deliveryLimit) {
      const task = decodeTask(message.data);
      if (task) this.#report(task[4], encodeOutcome({ error: ClusterError.deliveryLimit(task[2], durable.deliveryLimit) }, 'task result', bodyLimit(this.#nc)));
      message.term();
      return;
    }
    const progress = setInterval(() => message.working(), Math.max(1, durable.redeliverAfterMs / 3));
    try {
      const done = await this.#serve(message.data, message.headers);
      if (done) message.ack();
      else message.nak();
    } finally {
      clearInterval(progress);
    }
  }

  /** Runs a task and reports it; resolves `false` when it was cut short by this node closing (not reported: a durable task goes back to its queue). */
  async #serve(data: Uint8Array, headers: MsgHdrs | undefined): Promise<boolean> {
    const message = decodeTask(data);
    if (message === undefined) return true;
    const [id, module, exportName, args, replyTo] = message;
    if (this.#cancelled.delete(id)) return true;
    this.#report(replyTo, encode([STARTED, this.#node], 'task start', bodyLimit(this.#nc)));
    // The client writes what was published in a microtask queued by the publish: the task
    // starts after it, so a node killed while running a task has said it took it.
    await Promise.resolve();
    if (this.#closed) {
      // Taken as this node left the pool: a durable task goes back, another is told.
      if (this.#durable) return false;
      this.#report(replyTo, encodeOutcome({ error: TaskCancelledError.byShutdown(exportName) }, 'task result', bodyLimit(this.#nc)));
      return true;
    }
    let task: Task<unknown>;
    try {
      task = context.with(extractHeaders(headers), () => this.#supervisor.async({ module, export: exportName } as TaskRef, ...args));
    } catch (error) {
      this.#report(replyTo, encodeOutcome({ error }, 'task result', bodyLimit(this.#nc)));
      return true;
    }
    this.#running.set(id, task);
    const outcome = await task.outcome();
    this.#running.delete(id);
    if (this.#closed && this.#durable && outcome.status === 'exit' && outcome.reason instanceof TaskCancelledError) return false;
    this.#report(replyTo, encodeOutcome(outcome.status === 'ok' ? { value: outcome.value } : { error: outcome.reason }, 'task result', bodyLimit(this.#nc)));
    return true;
  }

  /** Tells a task's submitter; a connection already closed (this node stopped) tells no one. */
  #report(replyTo: string, body: Uint8Array): void {
    try {
      this.#nc.publish(replyTo, body);
    } catch (error) {
      diag.debug('worker-otp cluster: a task report was not sent (the connection is closed)', error);
    }
  }

  #cancel(id: string): void {
    const task = this.#running.get(id);
    if (task) {
      void task.shutdown();
      return;
    }
    if (this.#cancelled.size >= MAX_CANCELLED) this.#cancelled.delete(this.#cancelled.values().next().value!);
    this.#cancelled.add(id);
  }
}

function decodeTask(data: Uint8Array): TaskMessage | undefined {
  try {
    return decode<TaskMessage>(data);
  } catch (error) {
    diag.debug('worker-otp cluster: dropped a task message that is not worker-otp\'s', error);
    return undefined;
  }
}
