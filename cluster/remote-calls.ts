/**
 * Calls, casts and messages to processes on other nodes: the delivery half of the
 * `ClusterLink` this node installs in the runtime. A call is a NATS request to the subject of the target's node
 * (`{ name, node }`) or of its cluster-wide name (`{ global }`), with the trace context in
 * its headers; a cast or a message is a publish to the same subject, so that what one
 * sender sends one process arrives in order.
 *
 * Errors are those of a local call: nobody subscribed (no such node, no such global
 * name) is `NoProcessError` at once; the callee's node going down mid-call is
 * `ProcessExitError` with reason `noconnection`, as soon as this node sees it down; a
 * timeout is `CallTimeoutError`; the callee's own errors arrive with class, code and cause.
 */
import { context, type Context } from '@opentelemetry/api';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { CallTimeoutError, ClusterError, NoProcessError, ProcessExitError, describeExitReason, type ExitReason } from '../errors';
import { describeRef, makePid, type ProcessRef } from '../protocol/pid';
import type { RemoteRef } from '../protocol/remote-ref';
import { MAX_TIMER_DELAY_MS } from '../protocol/timeouts';
import { call, cast, send } from '../runtime/client';
import type { ClusterLink } from '../runtime/cluster-link';
import type { GlobalRegistry } from './global-registry';
import type { ClusterNames } from './names';
import { natsClient } from './nats';
import { injectHeaders } from './trace-headers';
import { bodyLimit, decode, encode, openOutcome, type Outcome, type ProcessMessage } from './wire';

export class RemoteCalls implements Pick<ClusterLink, 'call' | 'send'> {
  readonly #nc: NatsConnection;
  readonly #names: ClusterNames;
  readonly #self: string;
  readonly #registry: () => GlobalRegistry | undefined;
  /** Calls waiting for a reply, by the node that runs their callee: failed at once when it goes down. */
  readonly #waiting = new Map<string, Set<(node: string) => void>>();

  constructor(nc: NatsConnection, names: ClusterNames, self: string, registry: () => GlobalRegistry | undefined) {
    this.#nc = nc;
    this.#names = names;
    this.#self = self;
    this.#registry = registry;
  }

  call(target: RemoteRef, request: unknown, timeoutMs: number, ctx: Context): Promise<unknown> {
    const local = this.#local(target);
    if (local !== undefined) return context.with(ctx, () => call(local, request, { timeoutMs }));
    const { subject, name, node } = this.#route(target);
    const body = encode(['call', name, request, timeoutMs] satisfies ProcessMessage, 'call request', bodyLimit(this.#nc));
    const headers = this.#headers(ctx);
    return new Promise<unknown>((resolve, reject) => {
      let untrack = (): void => undefined;
      const settle = (outcome: () => unknown): void => {
        untrack();
        try {
          resolve(outcome());
        } catch (error) {
          reject(error);
        }
      };
      if (node !== undefined) {
        untrack = this.#track(node, () =>
          settle(() => {
            const reason: ExitReason = { type: 'noconnection', node };
            throw new ProcessExitError({ name: describeRef(target) }, reason, describeExitReason(reason));
          }),
        );
      }
      const failed = (error: unknown) =>
        settle(() => {
          throw this.#explain(error, target, timeoutMs);
        });
      try {
        this.#nc.request(subject, body, { timeout: Math.min(timeoutMs, MAX_TIMER_DELAY_MS), headers }).then(
          (reply) => settle(() => this.#open(decode<Outcome>(reply.data), target)),
          failed,
        );
      } catch (error) {
        // A connection closed under it (the node stopping) refuses at once.
        failed(error);
      }
    });
  }

  send(kind: 'cast' | 'info', target: RemoteRef, message: unknown, ctx: Context): void {
    const local = this.#local(target);
    if (local !== undefined) {
      context.with(ctx, () => (kind === 'cast' ? cast(local, message) : send(local, message)));
      return;
    }
    const { subject, name } = this.#route(target);
    const body = encode([kind, name, message] satisfies ProcessMessage, 'message', bodyLimit(this.#nc));
    try {
      this.#nc.publish(subject, body, { headers: this.#headers(ctx) });
    } catch (error) {
      // The connection is closing or closed: this node is stopping.
      throw ClusterError.nodeStopped(this.#self, error);
    }
  }

  /** Fails the calls waiting on `node`, which is down. */
  nodeDown(node: string): void {
    const waiting = this.#waiting.get(node);
    this.#waiting.delete(node);
    for (const fail of waiting ?? []) fail(node);
  }

  /** The target as a process of this program, when it is one. */
  #local(target: RemoteRef): ProcessRef | undefined {
    if ('node' in target) return target.node === this.#self ? target.name : undefined;
    const holder = this.#registry()?.lookup(target.global);
    return holder?.node === this.#self ? makePid(holder.pid) : undefined;
  }

  /** Where a message to `target` goes, and the node it reaches when that is known. */
  #route(target: RemoteRef): { subject: string; name: string; node: string | undefined } {
    if ('node' in target) return { subject: this.#names.processes(target.node), name: target.name, node: target.node };
    return { subject: this.#names.global(target.global), name: target.global, node: this.#registry()?.lookup(target.global)?.node };
  }

  #headers(ctx: Context): MsgHdrs | undefined {
    const headers = natsClient().transport.headers();
    return injectHeaders(ctx, headers) ? headers : undefined;
  }

  #track(node: string, fail: () => void): () => void {
    let waiting = this.#waiting.get(node);
    if (waiting === undefined) this.#waiting.set(node, (waiting = new Set()));
    waiting.add(fail);
    return () => waiting.delete(fail);
  }

  /** The reply's value; a callee's `NoProcessError` names the target as the caller did. */
  #open(outcome: Outcome, target: RemoteRef): unknown {
    try {
      return openOutcome(outcome);
    } catch (error) {
      throw error instanceof NoProcessError ? new NoProcessError(describeRef(target)) : error;
    }
  }

  #explain(error: unknown, target: RemoteRef, timeoutMs: number): Error {
    const { errors } = natsClient().transport;
    if (error instanceof errors.RequestError && error.isNoResponders()) return new NoProcessError(describeRef(target));
    if (error instanceof errors.TimeoutError || (error as Error)?.cause instanceof errors.TimeoutError) return new CallTimeoutError({ name: describeRef(target) }, timeoutMs);
    if (error instanceof errors.ClosedConnectionError || error instanceof errors.DrainingConnectionError) return ClusterError.nodeStopped(this.#self, error);
    return error as Error;
  }
}
