/**
 * Child specs as data, for supervisors started from inside a process: a spec there cannot
 * hold a `start` function (code does not cross threads), so it names what to start, and
 * the main thread, where supervisors run, makes the spec from it. The restart and shutdown
 * vocabularies are OTP's, the same as the main thread's child specs.
 */

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

/** How a supervisor started from a process is run: OTP's options. */
export interface SupervisorOptionsData {
  readonly strategy?: 'one_for_one' | 'one_for_all' | 'rest_for_one';
  readonly maxRestarts?: number;
  readonly maxSeconds?: number;
  readonly name?: string;
}

/** A GenServer child, named by its module (as `workerChild` names it). */
export interface WorkerChildData {
  readonly kind: 'worker';
  readonly id: string;
  readonly module: string;
  readonly initArg: unknown;
  readonly options?: {
    readonly name?: string;
    readonly startTimeoutMs?: number;
    readonly callTimeoutMs?: number;
    readonly maxMailbox?: number;
    readonly autoSpans?: boolean;
    readonly restart?: RestartType;
    readonly shutdown?: ShutdownSpec;
  };
}

/** A supervisor child, with its own children (as `supervisorChild` names it). */
export interface SupervisorChildData {
  readonly kind: 'supervisor';
  readonly id: string;
  readonly children: readonly ChildSpecData[];
  readonly options?: SupervisorOptionsData & { readonly restart?: RestartType; readonly shutdown?: ShutdownSpec };
}

export type ChildSpecData = WorkerChildData | SupervisorChildData;
