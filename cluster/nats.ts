/**
 * NATS's official client, loaded when a node starts: the packages are optional peers of
 * worker-otp (only clusters need them), so a program that never starts a node never
 * loads them, and one that does without them installed gets a `ClusterError` saying what
 * to install.
 */
import type * as Transport from '@nats-io/transport-node';
import type * as JetStream from '@nats-io/jetstream';
import type * as Kv from '@nats-io/kv';
import { ClusterError } from '../errors';

export interface NatsClient {
  readonly transport: typeof Transport;
  readonly jetstream: typeof JetStream;
  readonly kv: typeof Kv;
}

let loaded: NatsClient | undefined;

/** The NATS packages; throws `ClusterError` (`ERR_NATS_NOT_INSTALLED`) when one is missing. */
export function natsClient(): NatsClient {
  if (loaded) return loaded;
  try {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand: optional peer dependencies */
    loaded = {
      transport: require('@nats-io/transport-node') as typeof Transport,
      jetstream: require('@nats-io/jetstream') as typeof JetStream,
      kv: require('@nats-io/kv') as typeof Kv,
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch (error) {
    throw ClusterError.natsNotInstalled(error);
  }
  return loaded;
}
