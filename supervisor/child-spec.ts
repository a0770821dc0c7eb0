import type { SpanContext } from '@opentelemetry/api';
import { describeValue } from '../errors';
import type { ExitReason, StopReason } from '../errors/exit-reason';
import type { GenServerDefinition, InitArgOf } from '../protocol/gen-server-definition';
import type { RestartType, ShutdownSpec } from '../protocol/child-spec-data';
import type { Pid } from '../protocol/pid';
import type { ModulePath } from '../protocol/module-path';
import { startGenServer, type StartOptions } from '../runtime/start-gen-server';

export type { RestartType, ShutdownSpec };

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

/** What a child's `start` is given when it replaces a child that is still ending (see `ChildSpec.startEarly`). */
export interface ChildHandover {
  /** Resolves once the child this one replaces is gone (its thread has ended). */
  readonly previousExited: Promise<unknown>;
}

/** A child of a supervisor. */
export interface ChildSpec {
  /** Unique among its siblings; names the child in spans, errors and `whichChildren`. */
  readonly id: string;
  /**
   * Starts the child; called again for every restart. Without `startEarly`, a restart
   * calls it once the child it replaces is gone, with no argument.
   */
  readonly start: (handover?: ChildHandover) => Promise<SupervisedChild>;
  /**
   * Restart without waiting for the old child's thread to end: `start` is called as soon
   * as the old child says it exits, with a {@link ChildHandover}, and must not let the new
   * child touch what the old one held before `previousExited` settles (`startGenServer`'s
   * `initAfter` does exactly that). A restart then costs a thread's boot less. Default
   * false; `workerChild` sets it.
   */
  readonly startEarly?: boolean;
  /** Default `permanent`. */
  readonly restart?: RestartType;
  /** Default 5000 ms for workers, `infinity` for supervisors. */
  readonly shutdown?: ShutdownSpec;
  /** Default `worker`. */
  readonly type?: ChildType;
}

/** A child spec with its defaults filled in. */
export type ResolvedChildSpec = Required<ChildSpec>;

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
  const startEarly = spec.startEarly ?? false;
  if (typeof startEarly !== 'boolean') throw new TypeError(`worker-otp supervisor: ${field}.startEarly must be a boolean; got ${describeValue(spec.startEarly)}`);
  return { id: spec.id, start: spec.start, startEarly, restart, shutdown, type };
}

/** A worker child: a GenServer module started with `startGenServer`, restarted early (see `ChildSpec.startEarly`). */
export function workerChild<D extends GenServerDefinition = GenServerDefinition>(
  id: string,
  modulePath: ModulePath,
  initArg: InitArgOf<D>,
  options: Omit<StartOptions, 'initAfter'> & { readonly restart?: RestartType; readonly shutdown?: ShutdownSpec } = {},
): ChildSpec {
  const { restart, shutdown, ...startOptions } = options;
  return {
    id,
    start: (handover) => startGenServer<D>(modulePath, initArg, handover ? { ...startOptions, initAfter: handover.previousExited } : startOptions),
    startEarly: true,
    type: 'worker',
    ...(restart ? { restart } : {}),
    ...(shutdown !== undefined ? { shutdown } : {}),
  };
}
