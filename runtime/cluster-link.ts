/**
 * What this program's cluster node (`cluster/`) offers the runtime: delivery to processes
 * on other nodes, and cluster-wide names. The node installs it when it starts; the client
 * and the router hand it every call, cast and message whose target is a `RemoteRef`, and
 * processes reach the names through their runtime requests. The runtime knows nothing of
 * the transport: without a node, these fail with `ClusterError` (`ERR_NOT_A_NODE`).
 */
import type { Context } from '@opentelemetry/api';
import { ClusterError } from '../errors';
import type { RemoteRef } from '../protocol/remote-ref';

/** Who holds a cluster-wide name: a process (its pid) on a node. */
export interface GlobalHolder {
  readonly node: string;
  readonly pid: number;
}

export interface ClusterLink {
  /**
   * Sends a call carrying `ctx`'s trace context; resolves with the reply, or rejects with
   * the error the call would have locally (`NoProcessError`, `ProcessExitError`,
   * `CallTimeoutError`, the callee's own error).
   */
  call(target: RemoteRef, request: unknown, timeoutMs: number, ctx: Context): Promise<unknown>;
  /** Sends a cast or a plain message; throws only if it cannot be sent (a payload that cannot be serialized). */
  send(kind: 'cast' | 'info', target: RemoteRef, message: unknown, ctx: Context): void;
  /** Registers process `pid` of this program under the cluster-wide `name`. */
  registerGlobal(name: string, pid: number): Promise<void>;
  /** Frees a cluster-wide name this node registered. */
  unregisterGlobal(name: string): Promise<void>;
  /** Where a cluster-wide name is registered, as this node last heard. */
  whereisGlobal(name: string): GlobalHolder | undefined;
  /** Leaves the cluster cleanly (`ClusterNode.stop`): what `stopAll` does first. */
  leave(): Promise<void>;
}

let installed: ClusterLink | undefined;

/** Installs the link of this program's node, or removes it (`undefined`) when the node stops. */
export function installClusterLink(link: ClusterLink | undefined): void {
  installed = link;
}

/** The installed link, if this program is a node. */
export function installedClusterLink(): ClusterLink | undefined {
  return installed;
}

/** The installed link; throws `ClusterError` (`ERR_NOT_A_NODE`) naming `what` needs it when this program is no node. */
export function clusterLink(what: string): ClusterLink {
  if (installed === undefined) throw ClusterError.notANode(what);
  return installed;
}
