/**
 * worker-otp/cluster: nodes on NATS. `startNode` joins this program to a cluster; then
 * `call`, `cast` and `send` from `worker-otp` (and `worker-otp/workers`) reach processes on
 * other nodes by `{ name, node }` and `{ global: name }`, and task pools span nodes.
 */
export { startNode, currentNode, ClusterNode, DEFAULT_HEARTBEAT_MS, DEFAULT_DOWN_AFTER_MS } from './node';
export type { NodeOptions } from './node';
export type { NodeEvent, NodeDownReason } from './membership';
export type { GlobalHolder } from '../runtime/cluster-link';
export { ClusterTaskPool } from './task-pool';
export type { TaskPoolOptions } from './task-pool';
export { ATTR_NODE_NAME } from './attributes';
