/**
 * The names a cluster uses (its own, its nodes', cluster-wide process names, task pools')
 * and the NATS subjects, KV bucket and streams made of them. One place, so every node
 * derives the same subjects from the same names.
 */
import { ClusterError } from '../errors';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Returns `value` when it can be part of a subject, a stream and a KV key; throws `ClusterError` (`ERR_CLUSTER_NAME`). */
export function checkName(what: string, value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value)) throw ClusterError.badName(what, value);
  return value;
}

/** Every subject, stream and bucket of the cluster `cluster`. */
export class ClusterNames {
  readonly #root: string;
  readonly cluster: string;

  constructor(cluster: string) {
    this.cluster = cluster;
    this.#root = `worker-otp.${cluster}`;
  }

  /** Where nodes say they are alive, and ask the others to say so at once (`hello`). */
  get heartbeat(): string {
    return `${this.#root}.heartbeat`;
  }

  get hello(): string {
    return `${this.#root}.hello`;
  }

  /** Where a node says it leaves. */
  get leave(): string {
    return `${this.#root}.leave`;
  }

  /** Where a node answers whether it runs (a request: no responders means it does not). */
  ping(node: string): string {
    return `${this.#root}.node.${node}.ping`;
  }

  /** Calls, casts and messages to the processes registered on `node`. */
  processes(node: string): string {
    return `${this.#root}.node.${node}.processes`;
  }

  /** Calls, casts and messages to the process holding the cluster-wide `name`. */
  global(name: string): string {
    return `${this.#root}.global.${name}`;
  }

  /** The KV bucket of cluster-wide names. */
  get namesBucket(): string {
    return `worker-otp-${this.cluster}-names`;
  }

  /** A task pool's subjects. */
  pool(pool: string): PoolSubjects {
    const root = `${this.#root}.pool.${pool}`;
    return {
      work: `${root}.work`,
      free: `${root}.free`,
      cancel: `${root}.cancel`,
      replies: (node: string, incarnation: string) => `${root}.reply.${node}.${incarnation}`,
      durableWork: `${root}.durable`,
      stream: `worker-otp-${this.cluster}-pool-${pool}`,
    };
  }
}

export interface PoolSubjects {
  /** Tasks, to whichever free slot takes them (a queue group whose members are the free slots). */
  readonly work: string;
  /** A node announces a free slot: submitters holding tasks send one. */
  readonly free: string;
  /** A submitter gave up on a task: whoever runs it cancels it. */
  readonly cancel: string;
  /** Where the node `node` (this `incarnation` of it) hears about its tasks: `<replies>.<task id>`. */
  readonly replies: (node: string, incarnation: string) => string;
  /** The subject of the durable mode's JetStream work queue, and its stream. */
  readonly durableWork: string;
  readonly stream: string;
}
