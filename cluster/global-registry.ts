/**
 * Cluster-wide names (OTP's `:global`), held in a JetStream KV bucket: registering is a
 * `create` (first wins: the bucket refuses a key that exists), freeing is a delete of
 * the very revision registered (so a stale free never removes a newer holder). Every node
 * watches the bucket, so it knows each name's node without asking.
 *
 * A name is freed by its node when its process exits or the node stops; when a node dies,
 * the surviving nodes free its names; a name whose node is gone and no node freed (the
 * whole cluster was down) is taken over by the next registration, after its node is
 * found not to answer.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { diag } from '@opentelemetry/api';
import { ClusterError, NameAlreadyRegisteredError } from '../errors';
import type { GlobalHolder } from '../runtime/cluster-link';
import { natsClient } from './nats';
import type { ClusterNames } from './names';


/** What the bucket holds for a name: its holder, and the incarnation of the holder's node (a node restarted under the same name holds none of the old one's names). */
interface Holding extends GlobalHolder {
  readonly incarnation: string;
}

interface Entry extends Holding {
  readonly revision: number;
}

/** KV's answer to a `create` of a key that exists. */
const WRONG_LAST_SEQUENCE = 10071;

export class GlobalRegistry {
  readonly #kv: KV;
  readonly #entries = new Map<string, Entry>();
  readonly #stopWatching: () => void;

  private constructor(kv: KV, stopWatching: () => void) {
    this.#kv = kv;
    this.#stopWatching = stopWatching;
  }

  /** Opens (or creates) the cluster's bucket and starts watching it; throws `ClusterError` without JetStream. */
  static async open(nc: NatsConnection, names: ClusterNames): Promise<GlobalRegistry> {
    let kv: KV;
    try {
      kv = await new (natsClient().kv.Kvm)(nc).create(names.namesBucket, { history: 1 });
    } catch (error) {
      throw ClusterError.jetStreamUnavailable('cluster-wide names', error);
    }
    const watcher = await kv.watch();
    const registry = new GlobalRegistry(kv, () => watcher.stop());
    void (async () => {
      for await (const entry of watcher) {
        if (entry.operation === 'PUT') {
          const holding = entry.json<Holding>();
          registry.#entries.set(entry.key, { node: holding.node, pid: holding.pid, incarnation: holding.incarnation, revision: entry.revision });
        } else {
          registry.#entries.delete(entry.key);
        }
      }
    })().catch((error: unknown) => diag.debug('worker-otp cluster: the names watch ended', error));
    return registry;
  }

  /** Who holds `name`, as this node last heard. */
  lookup(name: string): GlobalHolder | undefined {
    const entry = this.#entries.get(name);
    return entry && { node: entry.node, pid: entry.pid };
  }

  /**
   * Registers `name` to `holder`; resolves with the revision to free it by. Throws
   * `NameAlreadyRegisteredError` when a live node's process holds it; a holder whose node
   * incarnation is gone (`isAlive` says no) is freed first.
   */
  async register(name: string, holder: Holding, isAlive: (node: string, incarnation: string) => Promise<boolean>): Promise<number> {
    const value = JSON.stringify(holder);
    try {
      return await this.#kv.create(name, value);
    } catch (error) {
      if ((error as { code?: number }).code !== WRONG_LAST_SEQUENCE) throw error;
    }
    const held = await this.#kv.get(name);
    if (held !== null && held.operation === 'PUT') {
      const owner = held.json<Holding>();
      if (await isAlive(owner.node, owner.incarnation)) throw new NameAlreadyRegisteredError(name, owner.pid, owner.node);
      await this.release(name, held.revision);
    }
    try {
      return await this.#kv.create(name, value);
    } catch (error) {
      if ((error as { code?: number }).code !== WRONG_LAST_SEQUENCE) throw error;
      const winner = (await this.#kv.get(name))?.json<GlobalHolder>();
      throw new NameAlreadyRegisteredError(name, winner?.pid ?? 0, winner?.node);
    }
  }

  /** Frees `name` if it still holds the registration of `revision`. */
  async release(name: string, revision: number): Promise<void> {
    try {
      await this.#kv.delete(name, { previousSeq: revision });
    } catch (error) {
      diag.debug(`worker-otp cluster: ${name} was not freed (it changed hands, or NATS is unreachable)`, error);
    }
  }

  /** Frees every name held by the `incarnation` of `node` (which went down). */
  async releaseNode(node: string, incarnation: string): Promise<void> {
    const held = [...this.#entries].filter(([, entry]) => entry.node === node && entry.incarnation === incarnation);
    await Promise.all(held.map(([name, entry]) => this.release(name, entry.revision)));
  }

  stop(): void {
    this.#stopWatching();
  }
}
