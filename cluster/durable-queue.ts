/**
 * The durable mode of a cluster task pool: a JetStream work-queue stream (file storage,
 * so queued tasks outlive the server's restart too) and one shared pull consumer. A task
 * is acknowledged only after its result was sent, so a node that dies while running it
 * leaves it unacknowledged, and JetStream delivers it again `redeliverAfterMs` later
 * (the node running a task says it is still at work a few times within that time).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Consumer, JetStreamClient } from '@nats-io/jetstream';
import { ClusterError } from '../errors';
import { natsClient } from './nats';
import type { PoolSubjects } from './names';

const CONSUMER = 'workers';

export interface DurableQueue {
  readonly js: JetStreamClient;
  readonly consumer: Consumer;
}

export async function openDurableQueue(nc: NatsConnection, subjects: PoolSubjects, redeliverAfterMs: number): Promise<DurableQueue> {
  const { jetstream, jetstreamManager, AckPolicy, RetentionPolicy, StorageType } = natsClient().jetstream;
  const { nanos } = natsClient().transport;
  try {
    const manager = await jetstreamManager(nc);
    try {
      await manager.streams.add({ name: subjects.stream, subjects: [subjects.durableWork], retention: RetentionPolicy.Workqueue, storage: StorageType.File });
    } catch {
      await manager.streams.info(subjects.stream);
    }
    const config = { ack_wait: nanos(redeliverAfterMs), max_deliver: -1, max_ack_pending: -1 };
    try {
      await manager.consumers.add(subjects.stream, { durable_name: CONSUMER, ack_policy: AckPolicy.Explicit, ...config });
    } catch {
      await manager.consumers.update(subjects.stream, CONSUMER, config);
    }
    const js = jetstream(nc);
    return { js, consumer: await js.consumers.get(subjects.stream, CONSUMER) };
  } catch (error) {
    throw ClusterError.jetStreamUnavailable('a durable task pool', error);
  }
}
