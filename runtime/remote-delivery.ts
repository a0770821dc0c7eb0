/**
 * The way to processes on other nodes. A cluster node (`cluster/`) installs it; the client
 * and the router hand it every call, cast and message whose target is a `RemoteRef`. The
 * runtime knows nothing of the transport: without a node, such a message fails with
 * `ClusterError` (`ERR_NOT_A_NODE`).
 */
import type { Context } from '@opentelemetry/api';
import { ClusterError } from '../errors';
import { describeRef } from '../protocol/pid';
import type { RemoteRef } from '../protocol/remote-ref';

export interface RemoteDelivery {
  /**
   * Sends a call carrying `ctx`'s trace context; resolves with the reply, or rejects with
   * the error the call would have locally (`NoProcessError`, `ProcessExitError`,
   * `CallTimeoutError`, the callee's own error).
   */
  call(target: RemoteRef, request: unknown, timeoutMs: number, ctx: Context): Promise<unknown>;
  /** Sends a cast or a plain message; throws only if it cannot be sent (a payload that cannot be serialized). */
  send(kind: 'cast' | 'info', target: RemoteRef, message: unknown, ctx: Context): void;
}

let installed: RemoteDelivery | undefined;

/** Installs the delivery of this program's node, or removes it (`undefined`) when the node stops. */
export function installRemoteDelivery(delivery: RemoteDelivery | undefined): void {
  installed = delivery;
}

/** The installed delivery; throws `ClusterError` (`ERR_NOT_A_NODE`) when this program is no node. */
export function remoteDelivery(target: RemoteRef): RemoteDelivery {
  if (installed === undefined) throw ClusterError.notANode(describeRef(target));
  return installed;
}
