/** Span attributes the cluster adds. */

/** The node that recorded a span (also the resource attribute a node's telemetry should carry). */
export const ATTR_NODE_NAME = 'worker_otp.node.name';
