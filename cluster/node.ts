/**
 * A cluster node: this program, joined to others through NATS under a node name. Only
 * the main thread is a node; its processes reach other nodes through it.
 */
import { diag } from '@opentelemetry/api';
import type { ConnectionOptions, NatsConnection, Subscription } from '@nats-io/transport-node';
import { ClusterError, NameAlreadyRegisteredError, describeValue } from '../errors';
import type { ProcessRef } from '../protocol/pid';
import { assertNotInWorkerOtpThread } from '../protocol/thread-kind';
import { validateTimeout } from '../protocol/timeouts';
import { monitor, whereis } from '../runtime/client';
import { installClusterLink, type GlobalHolder } from '../runtime/cluster-link';
import { GlobalRegistry } from './global-registry';
import { Membership, type NodeEvent } from './membership';
import { ClusterNames, checkName } from './names';
import { natsClient } from './nats';
import { PoolSubmitter } from './pool-submitter';
import { PoolWorker } from './pool-worker';
import { openDurableQueue } from './durable-queue';
import { serveProcesses } from './process-service';
import { RemoteCalls } from './remote-calls';
import { ClusterTaskPool, type TaskPoolOptions } from './task-pool';

/** How often a node says it is alive, by default (ms). */
export const DEFAULT_HEARTBEAT_MS = 1000;
/** How long a silent node is still taken for up, by default (ms): `nodedown` comes within this plus one heartbeat. */
export const DEFAULT_DOWN_AFTER_MS = 3000;
/** How long a ping waits for a node that may hold a name (ms); no answer at all counts as alive. */
const PING_TIMEOUT_MS = 1000;

/** Options of {@link startNode}. */
export interface NodeOptions {
  /** This node's name, unique in the cluster: 1 to 64 letters, digits, `_` or `-`. */
  readonly name: string;
  /** The NATS servers. Default: `NATS_URL`, else `127.0.0.1:4222`. */
  readonly servers?: string | readonly string[];
  /** Keeps clusters that share NATS servers apart. Default `default`. */
  readonly cluster?: string;
  /** How often this node says it is alive, ms. Default 1000. */
  readonly heartbeatMs?: number;
  /** How long another node may stay silent before it is down, ms (more than `heartbeatMs`). Default 3000. */
  readonly downAfterMs?: number;
  /** More NATS connection options: credentials, TLS, reconnection. */
  readonly connection?: Omit<ConnectionOptions, 'servers'>;
}

let current: ClusterNode | undefined;
/** The name of the node being started, while `startNode` runs. */
let starting: string | undefined;

function forgetCurrentNode(): void {
  current = undefined;
  installClusterLink(undefined);
}

/** This program's node, if it started one. */
export function currentNode(): ClusterNode | undefined {
  return current;
}

/**
 * Joins this program to a cluster as node `name` (Erlang's distribution, on NATS): from
 * then on `call`, `cast` and `send` reach processes on other nodes by `{ name, node }`
 * and `{ global: name }`, from the main thread and from inside processes.
 *
 * Throws `ClusterError`: `ERR_NATS_NOT_INSTALLED`, `ERR_NODE_CONNECT` (no server),
 * `ERR_NODE_NAME_TAKEN`, `ERR_ALREADY_A_NODE`, `ERR_CLUSTER_NAME`.
 */
export async function startNode(options: NodeOptions): Promise<ClusterNode> {
  assertNotInWorkerOtpThread('startNode');
  if (options === null || typeof options !== 'object') throw new TypeError(`worker-otp cluster: startNode takes { name, servers }; got ${describeValue(options)}`);
  const name = checkName('options.name', options.name);
  const names = new ClusterNames(checkName('options.cluster', options.cluster ?? 'default'));
  const heartbeatMs = validateTimeout(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, 'options.heartbeatMs');
  const downAfterMs = validateTimeout(options.downAfterMs ?? DEFAULT_DOWN_AFTER_MS, 'options.downAfterMs');
  if (!(downAfterMs > heartbeatMs) || heartbeatMs === Infinity) {
    throw new RangeError(`worker-otp cluster: options.downAfterMs (${downAfterMs}) must be longer than a finite options.heartbeatMs (${heartbeatMs})`);
  }
  if (current || starting) throw ClusterError.alreadyANode(current?.name ?? starting!);
  const { transport } = natsClient();
  const servers = options.servers ?? process.env.NATS_URL ?? '127.0.0.1:4222';
  let nc: NatsConnection;
  starting = name;
  try {
    nc = await transport.connect({ name: `worker-otp ${name}`, maxReconnectAttempts: -1, reconnectTimeWait: 250, ...options.connection, servers: servers as string | string[] });
  } catch (error) {
    starting = undefined;
    throw ClusterError.connect(String(servers), error);
  }
  try {
    if ((await ping(nc, names.ping(name))) !== undefined) throw ClusterError.nodeNameTaken(name);
    const node = new ClusterNode(nc, names, name, transport.nuid.next(), { heartbeatMs, downAfterMs });
    await node.start();
    current = node;
    return node;
  } catch (error) {
    await nc.close();
    throw error;
  } finally {
    starting = undefined;
  }
}

/**
 * The incarnation of the node answering pings on `subject`: `undefined` when none does,
 * `true` when something is there but did not answer in time (taken for alive).
 */
async function ping(nc: NatsConnection, subject: string): Promise<string | true | undefined> {
  try {
    return (await nc.request(subject, undefined, { timeout: PING_TIMEOUT_MS })).string();
  } catch (error) {
    const { errors } = natsClient().transport;
    return error instanceof errors.RequestError && error.isNoResponders() ? undefined : true;
  }
}

interface GlobalRegistration {
  readonly revision: number;
  readonly subscription: Subscription;
  readonly demonitor: () => void;
}

/**
 * This program as a cluster node: the nodes it sees, cluster-wide names, and task pools
 * shared with other nodes. Made by {@link startNode}.
 */
export class ClusterNode {
  readonly name: string;
  /** The NATS connection, for what else the application does with NATS. */
  readonly connection: NatsConnection;
  readonly #names: ClusterNames;
  readonly #incarnation: string;
  readonly #membership: Membership;
  readonly #calls: RemoteCalls;
  readonly #subscriptions: Subscription[] = [];
  readonly #globals = new Map<string, GlobalRegistration>();
  readonly #pools = new Map<string, ClusterTaskPool>();
  #registry: GlobalRegistry | undefined;
  #registryError: unknown;
  #stopped: Promise<void> | undefined;

  /** @internal Made by `startNode`. */
  constructor(nc: NatsConnection, names: ClusterNames, name: string, incarnation: string, timing: { heartbeatMs: number; downAfterMs: number }) {
    this.name = name;
    this.connection = nc;
    this.#names = names;
    this.#incarnation = incarnation;
    this.#membership = new Membership(nc, names, { node: name, incarnation }, timing, (node, gone) => this.#nodeDown(node, gone));
    this.#calls = new RemoteCalls(nc, names, name, () => this.#registry);
  }

  /** @internal */
  async start(): Promise<void> {
    const nc = this.connection;
    try {
      this.#registry = await GlobalRegistry.open(nc, this.#names);
    } catch (error) {
      // Calls by global name still work without JetStream; only registering needs it.
      this.#registryError = error instanceof ClusterError ? error.cause : error;
      diag.debug(`worker-otp cluster: node ${this.name} runs without cluster-wide names`, error);
    }
    this.#subscriptions.push(
      nc.subscribe(this.#names.ping(this.name), {
        callback: (_error, message) => {
          message.respond(this.#incarnation);
        },
      }),
      serveProcesses(nc, this.#names.processes(this.name), (name) => name),
    );
    await this.#membership.start();
    const calls = this.#calls;
    installClusterLink({
      call: (target, request, timeoutMs, ctx) => calls.call(target, request, timeoutMs, ctx),
      send: (kind, target, message, ctx) => calls.send(kind, target, message, ctx),
      registerGlobal: (name, pid) => this.registerGlobal(name, { pid }),
      unregisterGlobal: (name) => this.unregisterGlobal(name),
      whereisGlobal: (name) => this.whereisGlobal(name),
      leave: () => this.stop(),
    });
  }

  /** The other nodes up now (Erlang's `nodes()`). */
  nodes(): string[] {
    return this.#membership.nodes();
  }

  /**
   * Tells `listener` of every node that comes up or goes down (Erlang's
   * `net_kernel:monitor_nodes`). A node that dies is down within `downAfterMs` plus one
   * `heartbeatMs` (4 s by default); one that stops cleanly, at once. Returns the unsubscribe.
   */
  monitorNodes(listener: (event: NodeEvent) => void): () => void {
    return this.#membership.monitor(listener);
  }

  /**
   * Registers a process of this program under a cluster-wide name (Erlang's
   * `:global.register_name`): the first registration wins; the name is freed when the
   * process exits, when this node stops, or when it dies (by the other nodes). Needs
   * JetStream. Throws `NameAlreadyRegisteredError` (with the holder's `node`),
   * `NoProcessError`, or `ClusterError` (`ERR_JETSTREAM_UNAVAILABLE`).
   */
  async registerGlobal(name: string, target: ProcessRef): Promise<void> {
    checkName('a global name', name);
    const registry = this.#requireRegistry();
    const pid = typeof target === 'string' ? whereis(target)?.pid : target?.pid;
    if (this.#globals.has(name)) throw new NameAlreadyRegisteredError(name, registry.lookup(name)?.pid ?? pid ?? 0, this.name);
    let exited = false;
    const demonitor = monitor(pid === undefined ? target : { pid }, () => {
      exited = true;
      void this.unregisterGlobal(name);
    });
    let revision: number;
    try {
      revision = await registry.register(name, { node: this.name, pid: pid!, incarnation: this.#incarnation }, async (node, incarnation) => {
        const answer = await ping(this.connection, this.#names.ping(node));
        return answer === true || answer === incarnation;
      });
    } catch (error) {
      demonitor();
      throw error;
    }
    const subscription = serveProcesses(this.connection, this.#names.global(name), () => ({ pid: pid! }));
    this.#globals.set(name, { revision, subscription, demonitor });
    await this.connection.flush();
    if (exited) await this.unregisterGlobal(name);
  }

  /** Frees a cluster-wide name this node registered; nothing happens for one it does not hold. */
  async unregisterGlobal(name: string): Promise<void> {
    const registration = this.#globals.get(name);
    if (registration === undefined) return;
    this.#globals.delete(name);
    registration.demonitor();
    registration.subscription.unsubscribe();
    await this.#registry?.release(name, registration.revision);
  }

  /** Where a cluster-wide name is registered, as this node last heard. */
  whereisGlobal(name: string): GlobalHolder | undefined {
    return this.#registry?.lookup(name);
  }

  /**
   * Joins the task pool `name` (opening it if it is the first member): see
   * {@link ClusterTaskPool}. With `supervisor`, this node's threads take the pool's tasks.
   */
  async taskPool(name: string, options: TaskPoolOptions = {}): Promise<ClusterTaskPool> {
    checkName('a task pool name', name);
    if (this.#stopped) throw ClusterError.nodeStopped(this.name);
    if (this.#pools.has(name)) throw new TypeError(`worker-otp cluster: node ${this.name} is in task pool ${name} already; use the pool it returned`);
    const concurrency = options.concurrency ?? options.supervisor?.maxThreads ?? 0;
    if (!Number.isInteger(concurrency) || concurrency < 0) throw new RangeError(`worker-otp cluster: options.concurrency must be an integer >= 0; got ${describeValue(options.concurrency)}`);
    if (concurrency > 0 && options.supervisor === undefined) throw new TypeError('worker-otp cluster: options.concurrency needs options.supervisor, whose threads run the tasks');
    const deliveryLimit = options.deliveryLimit ?? 3;
    if (!Number.isInteger(deliveryLimit) || deliveryLimit < 1) throw new RangeError(`worker-otp cluster: options.deliveryLimit must be an integer >= 1; got ${describeValue(options.deliveryLimit)}`);
    const redeliverAfterMs = validateTimeout(options.redeliverAfterMs ?? 10_000, 'options.redeliverAfterMs');
    const subjects = this.#names.pool(name);
    const queue = options.durable ? await openDurableQueue(this.connection, subjects, redeliverAfterMs) : undefined;
    const submitter = new PoolSubmitter(this.connection, name, this.name, this.#incarnation, subjects, queue);
    const worker = concurrency > 0 ? new PoolWorker(this.connection, subjects, options.supervisor!, this.name, queue && { queue, deliveryLimit, redeliverAfterMs }) : undefined;
    const pool = new ClusterTaskPool(name, this.name, submitter, worker, () => this.#pools.delete(name));
    this.#pools.set(name, pool);
    await this.connection.flush();
    worker?.start(concurrency);
    return pool;
  }

  /**
   * Leaves the cluster cleanly: closes this node's task pools (running tasks get
   * `timeoutMs` to finish), frees its cluster-wide names, tells the other nodes (their
   * `nodedown` comes at once) and closes the connection. Idempotent.
   */
  stop(timeoutMs?: number): Promise<void> {
    this.#stopped ??= (async () => {
      await Promise.all([...this.#pools.values()].map((pool) => pool.close(timeoutMs)));
      await Promise.all([...this.#globals.keys()].map((name) => this.unregisterGlobal(name)));
      this.#membership.stop();
      this.#registry?.stop();
      for (const subscription of this.#subscriptions) subscription.unsubscribe();
      if (currentNode() === this) forgetCurrentNode();
      await this.connection.drain();
    })();
    return this.#stopped;
  }

  #requireRegistry(): GlobalRegistry {
    if (this.#stopped) throw ClusterError.nodeStopped(this.name);
    if (this.#registry === undefined) throw ClusterError.jetStreamUnavailable('cluster-wide names', this.#registryError);
    return this.#registry;
  }

  /** A node went down: its calls and tasks fail now (before listeners hear of it), and the names its incarnation held are freed. */
  #nodeDown(node: string, incarnation: string): void {
    this.#calls.nodeDown(node);
    for (const pool of this.#pools.values()) pool.nodeDown(node);
    void this.#registry?.releaseNode(node, incarnation);
  }
}
