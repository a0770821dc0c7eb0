/**
 * How the API names a process on another node of a cluster (see `cluster/`): plain data,
 * so a reference crosses threads and machines as it is.
 */

/** A process registered under `name` on the cluster node `node` (OTP's `{name, node}`). */
export interface NodeName {
  readonly name: string;
  readonly node: string;
}

/** A process registered under a cluster-wide name (OTP's `{:global, name}`). */
export interface GlobalName {
  readonly global: string;
}

/** A process on a cluster node, as `call`, `cast` and `send` reach it (see `startNode`). */
export type RemoteRef = NodeName | GlobalName;

/** Whether `target` names a process on a cluster node. */
export function isRemoteRef(target: unknown): target is RemoteRef {
  if (target === null || typeof target !== 'object') return false;
  const ref = target as Partial<NodeName & GlobalName>;
  return typeof ref.global === 'string' || (typeof ref.name === 'string' && typeof ref.node === 'string');
}
