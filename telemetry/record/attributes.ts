/**
 * Attribute names on worker-otp's spans. OpenTelemetry semantic conventions where one
 * exists (https://opentelemetry.io/docs/specs/semconv/), the `worker_otp.*` namespace for
 * the rest.
 */

/** The thread a span was recorded on (semconv `thread.id`). */
export const ATTR_THREAD_ID = 'thread.id';
/** The name of that thread (semconv `thread.name`): `main`, or the worker's name. */
export const ATTR_THREAD_NAME = 'thread.name';
/** `thread.name` of the main thread's spans. */
export const MAIN_THREAD_NAME = 'main';
/** The RPC system of a call crossing threads (semconv `rpc.system`). */
export const ATTR_RPC_SYSTEM = 'rpc.system';
/** The method a call names (semconv `rpc.method`). */
export const ATTR_RPC_METHOD = 'rpc.method';
/** The pid number of the process a span belongs to. */
export const ATTR_PID = 'worker_otp.pid';
/** The process's name, or the label its spans carry. */
export const ATTR_PROCESS_NAME = 'worker_otp.process.name';
/** What kind of message a span handles or sends: `call`, `cast`, `info`, `stop`. */
export const ATTR_MESSAGE_KIND = 'worker_otp.message.kind';
/** How long the message waited in the mailbox before its callback started, in ms. */
export const ATTR_MAILBOX_WAIT_MS = 'worker_otp.mailbox.wait_ms';
/** Messages still waiting in the mailbox when this one was taken. */
export const ATTR_MAILBOX_DEPTH = 'worker_otp.mailbox.depth';
/** Why a process exited (see `describeExitReason`). */
export const ATTR_EXIT_REASON = 'worker_otp.exit.reason';
/** The process a call, cast or message is sent to. */
export const ATTR_TARGET = 'worker_otp.target';
/** The supervisor a span belongs to. */
export const ATTR_SUPERVISOR = 'worker_otp.supervisor.name';
/** The supervisor's restart strategy. */
export const ATTR_STRATEGY = 'worker_otp.supervisor.strategy';
/** The child a supervisor span is about. */
export const ATTR_CHILD_ID = 'worker_otp.child.id';
/** How many times the supervisor has restarted this child so far, this restart included. */
export const ATTR_RESTART_COUNT = 'worker_otp.child.restart_count';
/** The module and export a task runs. */
export const ATTR_TASK_MODULE = 'worker_otp.task.module';
export const ATTR_TASK_EXPORT = 'worker_otp.task.export';
/** The task supervisor (pool) a task ran on. */
export const ATTR_TASK_SUPERVISOR = 'worker_otp.task.supervisor';
/** How many items one batch chunk carries. */
export const ATTR_TASK_ITEMS = 'worker_otp.task.items';
