import type { SpanContext } from '@opentelemetry/api';
import { describeValue } from '../propagation/error-wire';
import type { ExitReason, StopReason } from '../propagation/exit-reason';
import type { GenServerDefinition, InitArgOf } from '../propagation/gen-server-definition';
import { startGenServer, type StartOptions } from '../runtime/gen-server';
import type { Pid } from '../runtime/pid';

/**
 * When a child is restarted (OTP's `restart`):
 * - `permanent`: always.
 * - `transient`: only after an abnormal exit (not `normal` or `shutdown`).
 * - `temporary`: never; its spec is removed when it exits.
 */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/**
 * How a child is stopped (OTP's `shutdown`): ms given to `terminate` before the thread is
 * killed, `brutal_kill` (killed at once), or `infinity` (waited for; the default for
 * supervisor children).
 */
export type ShutdownSpec = number | 'brutal_kill' | 'infinity';

/** Whether a child is a worker (a GenServer) or a supervisor. */
export type ChildType = 'worker' | 'supervisor';

/** What a child's `start` function resolves to: a GenServer or a supervisor. */
export interface SupervisedChild {
  readonly pid: Pid;
  /** The span a restart links to, when the child knows its last one. */
  readonly lastSpanContext?: SpanContext | undefined;
  exited(): Promise<ExitReason>;
  /**
   * When given, resolves as soon as the child has said it exits (before its thread is gone):
   * the supervisor then starts a replacement whose `init` waits for `exited`.
   */
  exiting?(): Promise<ExitReason>;
  stop(reason?: StopReason, timeoutMs?: number): Promise<void>;
  kill(): Promise<void>;
}

/** A child of a supervisor. */
export interface ChildSpec {
  /** Unique among its siblings; names the child in spans, errors and `whichChildren`. */
  readonly id: string;
  /** Starts the child; called again for every restart, once the child it replaces is gone. */
  readonly start: () => Promise<SupervisedChild>;
  /** Default `permanent`. */
  readonly restart?: RestartType;
  /** Default 5000 ms for workers, `infinity` for supervisors. */
  readonly shutdown?: ShutdownSpec;
  /** Default `worker`. */
  readonly type?: ChildType;
}

/**
 * @internal On `workerChild` specs: starts a replacement while the child it replaces is
 * still ending (`replacing` resolves when it is gone); the replacement's `init` waits.
 */
export const START_REPLACING = Symbol('worker-otp.start-replacing');

type StartReplacing = (replacing: Promise<unknown>) => Promise<SupervisedChild>;

/** A child spec with its defaults filled in. */
export interface ResolvedChildSpec extends Required<ChildSpec> {
  readonly [START_REPLACING]?: StartReplacing | undefined;
}

const RESTART_TYPES: readonly RestartType[] = ['permanent', 'transient', 'temporary'];

/** Checks a child spec and fills its defaults. Throws TypeError/RangeError naming the field. */
export function resolveChildSpec(spec: ChildSpec, field: string): ResolvedChildSpec {
  if (spec === null || typeof spec !== 'object') throw new TypeError(`worker-otp supervisor: ${field} must be a child spec object; got ${describeValue(spec)}`);
  if (typeof spec.id !== 'string' || spec.id.length === 0) throw new TypeError(`worker-otp supervisor: ${field}.id must be a non-empty string; got ${describeValue(spec.id)}`);
  if (typeof spec.start !== 'function') throw new TypeError(`worker-otp supervisor: ${field}.start must be a function that starts the child; got ${describeValue(spec.start)}`);
  const restart = spec.restart ?? 'permanent';
  if (!RESTART_TYPES.includes(restart)) throw new TypeError(`worker-otp supervisor: ${field}.restart must be one of ${RESTART_TYPES.join(', ')}; got ${describeValue(spec.restart)}`);
  const type = spec.type ?? 'worker';
  if (type !== 'worker' && type !== 'supervisor') throw new TypeError(`worker-otp supervisor: ${field}.type must be worker or supervisor; got ${describeValue(spec.type)}`);
  const shutdown = spec.shutdown ?? (type === 'supervisor' ? 'infinity' : 5000);
  const validShutdown = shutdown === 'brutal_kill' || shutdown === 'infinity' || (typeof shutdown === 'number' && Number.isFinite(shutdown) && shutdown >= 0);
  if (!validShutdown) throw new RangeError(`worker-otp supervisor: ${field}.shutdown must be ms (>= 0), 'brutal_kill' or 'infinity'; got ${describeValue(spec.shutdown)}`);
  return { id: spec.id, start: spec.start, restart, shutdown, type, [START_REPLACING]: (spec as ResolvedChildSpec)[START_REPLACING] };
}

/** A worker child: a GenServer module started with `startGenServer`. */
export function workerChild<D extends GenServerDefinition = GenServerDefinition>(
  id: string,
  modulePath: string,
  initArg: InitArgOf<D>,
  options: StartOptions & { readonly restart?: RestartType; readonly shutdown?: ShutdownSpec } = {},
): ChildSpec {
  const { restart, shutdown, ...startOptions } = options;
  const spec: ChildSpec & { readonly [START_REPLACING]: StartReplacing } = {
    id,
    start: () => startGenServer<D>(modulePath, initArg, startOptions),
    [START_REPLACING]: (replacing: Promise<unknown>) => startGenServer<D>(modulePath, initArg, startOptions, replacing),
    type: 'worker',
    ...(restart ? { restart } : {}),
    ...(shutdown !== undefined ? { shutdown } : {}),
  };
  return spec;
}
