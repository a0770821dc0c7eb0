/**
 * The submitting side of a cluster task pool: sends tasks, hears what becomes of them,
 * and settles each task's promise once (a result that arrives twice, from a durable task
 * run again, is dropped).
 *
 * Without `durable`, a task is published to the pool's queue group, whose only members
 * are free slots: when none is free, NATS answers "no responders" at once, and the task
 * waits here until a node says it has a free slot (a pull: a busy node takes nothing). A
 * task whose node goes down fails with `TaskExitError` (its `node` set). With `durable`,
 * tasks go to the JetStream work queue, and one whose node goes down is delivered again.
 */
import { SpanKind, context, trace } from '@opentelemetry/api';
import type { MsgHdrs, Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { ClusterError, TaskExitError, describeValue } from '../errors';
import { toFilePath } from '../protocol/module-path';
import { runtimeTracer } from '../protocol/runtime-tracer';
import { tracingOn } from '../protocol/span-outbox';
import { Task, type TaskRef } from '../protocol/task';
import { ATTR_TASK_EXPORT, ATTR_TASK_MODULE, ATTR_TASK_SUPERVISOR } from '../telemetry/record/attributes';
import { endWhenSettled } from '../telemetry/record/run-in-span';
import type { DurableQueue } from './durable-queue';
import type { PoolSubjects } from './names';
import { natsClient } from './nats';
import { STARTED, type TaskMessage, type TaskReply } from './task-wire';
import { injectHeaders } from './trace-headers';
import { bodyLimit, decode, encode, openOutcome } from './wire';
import { ATTR_NODE_NAME } from './attributes';

/** How often tasks that found no free slot are offered again, when no node said it has one. */
const RETRY_MS = 100;
/** How long a durable task's publish is retried while NATS is unreachable, ms between tries. */
const REPUBLISH_MS = 500;

interface Pending {
  readonly id: string;
  readonly label: string;
  readonly body: Uint8Array;
  readonly headers: MsgHdrs | undefined;
  readonly replyTo: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  /** The node running it, once one said so. */
  node?: string;
  /** Offered again after it found no free slot: it goes back to the front of the backlog if it finds none again. */
  retried?: boolean;
}

export class PoolSubmitter {
  readonly #nc: NatsConnection;
  readonly #pool: string;
  readonly #node: string;
  readonly #subjects: PoolSubjects;
  readonly #durable: DurableQueue | undefined;
  readonly #inbox: string;
  readonly #pending = new Map<string, Pending>();
  /** Tasks that found no free slot, oldest first. */
  readonly #backlog: Pending[] = [];
  readonly #subscriptions: Subscription[] = [];
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(nc: NatsConnection, pool: string, node: string, incarnation: string, subjects: PoolSubjects, durable: DurableQueue | undefined) {
    this.#nc = nc;
    this.#pool = pool;
    this.#node = node;
    this.#subjects = subjects;
    this.#durable = durable;
    this.#inbox = subjects.replies(node, incarnation);
    this.#subscriptions.push(nc.subscribe(`${this.#inbox}.*`, { callback: (_error, message) => this.#heard(message) }));
    if (!durable) this.#subscriptions.push(nc.subscribe(subjects.free, { callback: () => this.#offerOne() }));
  }

  /** Sends a task; throws at once for a bad task reference or arguments that cannot be serialized. */
  submit(task: TaskRef, args: readonly unknown[]): Task<unknown> {
    if (task === null || typeof task !== 'object' || typeof task.export !== 'string') {
      throw new TypeError(`worker-otp cluster: a task is named with taskRef(modulePath, exportName); got ${describeValue(task)}`);
    }
    const module = toFilePath(task.module, 'task.module');
    const id = natsClient().transport.nuid.next();
    const replyTo = `${this.#inbox}.${id}`;
    const body = encode([id, module, task.export, args, replyTo] satisfies TaskMessage, 'task arguments', bodyLimit(this.#nc));
    const span = tracingOn()
      ? runtimeTracer().startSpan(
          `${task.export}.submit`,
          {
            kind: SpanKind.CLIENT,
            attributes: { [ATTR_TASK_MODULE]: module, [ATTR_TASK_EXPORT]: task.export, [ATTR_TASK_SUPERVISOR]: this.#pool, [ATTR_NODE_NAME]: this.#node },
          },
          context.active(),
        )
      : undefined;
    const headers = natsClient().transport.headers();
    const traced = injectHeaders(span ? trace.setSpan(context.active(), span) : context.active(), headers);
    const running = new Promise<unknown>((resolve, reject) => {
      const pending: Pending = { id, label: task.export, body, headers: traced ? headers : undefined, replyTo, resolve, reject };
      this.#pending.set(id, pending);
      this.#send(pending);
    });
    return new Task(task.export, span ? endWhenSettled(span, running) : running, (reason) => this.#cancel(id, reason));
  }

  /** Tasks running on `node`, which went down: failed (durable: they wait to be delivered again). */
  nodeDown(node: string): void {
    for (const pending of this.#pending.values()) {
      if (pending.node !== node) continue;
      if (this.#durable) pending.node = undefined;
      else this.#settle(pending, () => {
        throw new TaskExitError(pending.label, new Error(`node ${node} is down`), node);
      });
    }
  }

  /** Stops hearing about tasks; those not settled fail with `ClusterError` (`ERR_POOL_CLOSED`). */
  close(): void {
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    if (this.#retryTimer) clearInterval(this.#retryTimer);
    for (const pending of this.#pending.values()) this.#settle(pending, () => {
      throw ClusterError.poolClosed(this.#pool, this.#node);
    });
  }

  #send(pending: Pending): void {
    if (!this.#durable) {
      this.#nc.publish(this.#subjects.work, pending.body, { reply: pending.replyTo, headers: pending.headers });
      return;
    }
    this.#durable.js.publish(this.#subjects.durableWork, pending.body, { msgID: pending.id, headers: pending.headers }).catch(() => {
      // NATS unreachable (a server restarting): the same message id again, which the stream takes once.
      if (this.#pending.has(pending.id)) setTimeout(() => this.#pending.has(pending.id) && this.#send(pending), REPUBLISH_MS).unref();
    });
  }

  #heard(message: Msg): void {
    const pending = this.#pending.get(message.subject.slice(this.#inbox.length + 1));
    if (pending === undefined) return;
    if (message.headers?.code === 503) {
      // No free slot anywhere: wait for a node to say it has one, keeping submission order.
      if (pending.retried) this.#backlog.unshift(pending);
      else this.#backlog.push(pending);
      this.#retryTimer ??= setInterval(() => this.#offerOne(), RETRY_MS).unref();
      return;
    }
    const reply = decode<TaskReply>(message.data);
    if (reply[0] === STARTED) pending.node = reply[1];
    else this.#settle(pending, () => openOutcome(reply));
  }

  /** Offers the oldest task waiting for a free slot. */
  #offerOne(): void {
    let next = this.#backlog.shift();
    while (next !== undefined && !this.#pending.has(next.id)) next = this.#backlog.shift();
    if (next !== undefined) {
      next.retried = true;
      this.#send(next);
    }
    if (this.#backlog.length === 0 && this.#retryTimer) {
      clearInterval(this.#retryTimer);
      this.#retryTimer = undefined;
    }
  }

  #cancel(id: string, reason: Error): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#settle(pending, () => {
      throw reason;
    });
    if (!this.#nc.isClosed()) this.#nc.publish(this.#subjects.cancel, id);
  }

  #settle(pending: Pending, outcome: () => unknown): void {
    this.#pending.delete(pending.id);
    try {
      pending.resolve(outcome());
    } catch (error) {
      pending.reject(error as Error);
    }
  }
}
