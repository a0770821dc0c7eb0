/**
 * Attribute names on worker-otp's spans. OpenTelemetry semantic conventions where one
 * exists (https://opentelemetry.io/docs/specs/semconv/), the `worker_otp.*` namespace for
 * the rest.
 */

/** The thread a span was recorded on (semconv `thread.id`). */
export const ATTR_THREAD_ID = 'thread.id';
/** The name of that thread (semconv `thread.name`): `main`, or the worker's name. */
export const ATTR_THREAD_NAME = 'thread.name';
/** The RPC system of a call crossing threads (semconv `rpc.system`). */
export const ATTR_RPC_SYSTEM = 'rpc.system';
/** The method a call names (semconv `rpc.method`). */
export const ATTR_RPC_METHOD = 'rpc.method';
