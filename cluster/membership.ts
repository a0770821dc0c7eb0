/**
 * Which nodes are up. Every node publishes a heartbeat each `heartbeatMs`; a node not
 * heard from for `downAfterMs` is down (`nodedown`, reason `timeout`), one that says it
 * leaves is down at once (`left`), and one heard with a new incarnation was restarted
 * (`nodedown` with reason `restarted`, then `nodeup`). A node starting asks the others to
 * beat at once, so it knows the cluster within a round trip.
 *
 * While this node's own connection to NATS is down, nobody is declared down: the silence
 * is ours. Once reconnected, every node gets a fresh `downAfterMs`.
 */
import { diag } from '@opentelemetry/api';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { ClusterNames } from './names';

/** What `monitorNodes` listeners are told (Erlang's `net_kernel:monitor_nodes`). */
export type NodeEvent =
  | { readonly type: 'nodeup'; readonly node: string }
  | { readonly type: 'nodedown'; readonly node: string; readonly reason: NodeDownReason };

/** Why a node is down: it was not heard from in time, it said it leaves, or it came back as a new incarnation. */
export type NodeDownReason = 'timeout' | 'left' | 'restarted';

interface Beat {
  readonly node: string;
  readonly incarnation: string;
}

export interface MembershipTiming {
  readonly heartbeatMs: number;
  readonly downAfterMs: number;
}

export class Membership {
  readonly #nc: NatsConnection;
  readonly #names: ClusterNames;
  readonly #self: Beat;
  readonly #timing: MembershipTiming;
  readonly #seen = new Map<string, { incarnation: string; lastSeen: number }>();
  readonly #listeners = new Set<(event: NodeEvent) => void>();
  /** Told first of every node down, with the incarnation that went (the names it held are that incarnation's). */
  readonly #onDown: (node: string, incarnation: string) => void;
  readonly #subscriptions: Subscription[] = [];
  #timer: NodeJS.Timeout | undefined;
  #connected = true;

  constructor(nc: NatsConnection, names: ClusterNames, self: Beat, timing: MembershipTiming, onDown: (node: string, incarnation: string) => void) {
    this.#nc = nc;
    this.#onDown = onDown;
    this.#names = names;
    this.#self = self;
    this.#timing = timing;
  }

  /** Starts listening and beating; resolves once the server has the subscriptions. */
  async start(): Promise<void> {
    const names = this.#names;
    this.#subscriptions.push(
      this.#nc.subscribe(names.heartbeat, { callback: (_error, message) => this.#heard(beatOf(message)) }),
      this.#nc.subscribe(names.hello, { callback: () => this.#beat() }),
      this.#nc.subscribe(names.leave, { callback: (_error, message) => this.#left(beatOf(message)) }),
    );
    void this.#watchConnection();
    await this.#nc.flush();
    this.#nc.publish(names.hello);
    this.#beat();
    this.#timer = setInterval(() => {
      this.#beat();
      this.#check();
    }, this.#timing.heartbeatMs);
    this.#timer.unref();
  }

  /** The other nodes up now, by name. */
  nodes(): string[] {
    return [...this.#seen.keys()].sort();
  }

  isUp(node: string): boolean {
    return node === this.#self.node || this.#seen.has(node);
  }

  /** Tells `listener` of every node that comes up or goes down; returns the unsubscribe. */
  monitor(listener: (event: NodeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Says this node leaves, and stops beating. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    if (!this.#nc.isClosed()) this.#nc.publish(this.#names.leave, JSON.stringify(this.#self));
  }

  #beat(): void {
    if (!this.#nc.isClosed()) this.#nc.publish(this.#names.heartbeat, JSON.stringify(this.#self));
  }

  #heard(beat: Beat | undefined): void {
    if (beat === undefined) return;
    if (beat.node === this.#self.node) {
      if (beat.incarnation !== this.#self.incarnation) diag.warn(`worker-otp cluster: another node is also named ${beat.node}; give each program its own node name`);
      return;
    }
    const known = this.#seen.get(beat.node);
    const now = performance.now();
    if (known?.incarnation === beat.incarnation) {
      known.lastSeen = now;
      return;
    }
    if (known) this.#down(beat.node, 'restarted');
    this.#seen.set(beat.node, { incarnation: beat.incarnation, lastSeen: now });
    this.#emit({ type: 'nodeup', node: beat.node });
  }

  #left(beat: Beat | undefined): void {
    if (beat !== undefined && this.#seen.get(beat.node)?.incarnation === beat.incarnation) this.#down(beat.node, 'left');
  }

  #check(): void {
    if (!this.#connected) return;
    const now = performance.now();
    for (const [node, known] of this.#seen) if (now - known.lastSeen > this.#timing.downAfterMs) this.#down(node, 'timeout');
  }

  #down(node: string, reason: NodeDownReason): void {
    const { incarnation } = this.#seen.get(node)!;
    this.#seen.delete(node);
    this.#onDown(node, incarnation);
    this.#emit({ type: 'nodedown', node, reason });
  }

  #emit(event: NodeEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        diag.warn(`worker-otp cluster: a ${event.type} listener threw: ${(error as Error)?.message}`);
      }
    }
  }

  async #watchConnection(): Promise<void> {
    for await (const status of this.#nc.status()) {
      if (status.type === 'disconnect') this.#connected = false;
      else if (status.type === 'reconnect') {
        this.#connected = true;
        const now = performance.now();
        for (const known of this.#seen.values()) known.lastSeen = now;
        this.#nc.publish(this.#names.hello);
        this.#beat();
      }
    }
  }
}

/** A heartbeat or leave message, or `undefined` for anything else on the subject. */
function beatOf(message: Msg): Beat | undefined {
  try {
    const beat = message.json<Beat>();
    return typeof beat?.node === 'string' && typeof beat.incarnation === 'string' ? beat : undefined;
  } catch {
    return undefined;
  }
}
