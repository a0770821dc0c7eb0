import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, diag, trace, type Link, type Span } from '@opentelemetry/api';
import {
  ATTR_CHILD_ID,
  ATTR_EXIT_REASON,
  ATTR_PID,
  ATTR_RESTART_COUNT,
  ATTR_STRATEGY,
  ATTR_SUPERVISOR,
} from '../telemetry/record/attributes';
import { describeValue } from '../errors';
import { RestartIntensityError, SupervisorError } from '../errors';
import { describeExitReason, exitReasonFrom, thrownReason, type ExitReason, type StopReason } from '../errors/exit-reason';
import { recordFailure, runInSpan } from '../telemetry/record/run-in-span';
import { runtimeTracer } from '../protocol/runtime-tracer';
import { startTimeout, validateTimeout } from '../protocol/timeouts';
import { makePid, type Pid } from '../protocol/pid';
import { assertNotInWorkerOtpThread } from '../protocol/thread-kind';
import { joinAppTelemetry } from '../runtime/app-telemetry';
import { processTable } from '../runtime/process-table';
import { resolveChildSpec, type ChildSpec, type ChildType, type ResolvedChildSpec, type SupervisedChild } from './child-spec';
import { RestartIntensity } from './restart-intensity';
import { supervisionMetrics } from './supervision-metrics';
import { listening, publish } from '../runtime/diagnostics';
import { RESTART_STRATEGIES, childrenToRestart, isRestarted, type RestartStrategy } from './restart-strategy';

/** Options of a supervisor, with OTP's defaults. */
export interface SupervisorOptions {
  /** Default `one_for_one`. */
  readonly strategy?: RestartStrategy;
  /** Restarts allowed within `maxSeconds` before the supervisor gives up. Default 3. */
  readonly maxRestarts?: number;
  /** The window of `maxRestarts`, in seconds. Default 5. */
  readonly maxSeconds?: number;
  /** Names the supervisor in its spans and errors. Default `supervisor`. */
  readonly name?: string;
}

/** A row of {@link Supervisor.whichChildren}. */
export interface ChildInfo {
  readonly id: string;
  /** The running child's pid, `restarting` while it is being restarted, or undefined when not running. */
  readonly pid: Pid | 'restarting' | undefined;
  readonly type: ChildType;
  /** How often this supervisor restarted it. */
  readonly restarts: number;
}

/** What {@link Supervisor.countChildren} returns. */
export interface ChildCounts {
  readonly specs: number;
  readonly active: number;
  readonly supervisors: number;
  readonly workers: number;
}

interface ChildState {
  readonly spec: ResolvedChildSpec;
  child: SupervisedChild | undefined;
  /** The exit of the child that said it exits and is still ending; its replacement's init waits for it. */
  departing: Promise<unknown> | undefined;
  restarting: boolean;
  restarts: number;
}

/** Supervisors running, in start order. */
const runningSupervisors = new Set<Supervisor>();
/** Pids of the children some supervisor runs (GenServers and supervisors), until they exit. */
const supervisedPids = new Set<number>();

/** The running supervisors no other supervisor runs (the roots of the supervision trees), in start order. */
export function rootSupervisors(): Supervisor[] {
  return [...runningSupervisors].filter((supervisor) => !supervisedPids.has(supervisor.pid.pid));
}

/** The running supervisor with this pid (a dynamic supervisor's engine included). */
export function supervisorOf(pid: number): Supervisor | undefined {
  for (const supervisor of runningSupervisors) if (supervisor.pid.pid === pid) return supervisor;
  return undefined;
}

/** Whether a supervisor runs the process with this pid. */
export function isSupervised(pid: number): boolean {
  return supervisedPids.has(pid);
}

/** How DynamicSupervisor differs from a Supervisor: children leave when they are not restarted. */
export interface SupervisorBehaviour {
  readonly removeWhenDone: boolean;
  /** How many children it may have; `startChild` past it fails with `ERR_MAX_CHILDREN`, checked in turn with every other operation. */
  readonly maxChildren: number;
}

function validateOptions(options: SupervisorOptions): Required<SupervisorOptions> {
  if (options === null || typeof options !== 'object') throw new TypeError(`worker-otp supervisor: options must be an object; got ${describeValue(options)}`);
  const strategy = options.strategy ?? 'one_for_one';
  if (!RESTART_STRATEGIES.includes(strategy)) {
    throw new TypeError(`worker-otp supervisor: options.strategy must be one of ${RESTART_STRATEGIES.join(', ')}; got ${describeValue(options.strategy)}`);
  }
  const maxRestarts = options.maxRestarts ?? 3;
  if (!Number.isInteger(maxRestarts) || maxRestarts < 0) throw new RangeError(`worker-otp supervisor: options.maxRestarts must be an integer >= 0; got ${describeValue(options.maxRestarts)}`);
  const maxSeconds = options.maxSeconds ?? 5;
  if (typeof maxSeconds !== 'number' || !(maxSeconds > 0)) throw new RangeError(`worker-otp supervisor: options.maxSeconds must be a number > 0; got ${describeValue(options.maxSeconds)}`);
  const name = options.name ?? 'supervisor';
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`worker-otp supervisor: options.name must be a non-empty string; got ${describeValue(options.name)}`);
  return { strategy, maxRestarts, maxSeconds, name };
}

/**
 * OTP's Supervisor: starts its children in order, watches them, and restarts them by its
 * strategy when they exit, within its restart intensity. Past the intensity it stops every
 * child (in reverse start order) and exits with a `RestartIntensityError`, so its own
 * supervisor, if any, treats that as a crash: escalation up the tree.
 *
 * It lives in the main thread; its children are GenServer threads or other supervisors.
 * Every operation is handled one at a time, in order, as an OTP supervisor process would.
 *
 * During a restart a registered name has no process: calls by name get `NoProcessError`
 * until the new process has run `init` (OTP behaves the same way).
 */
export class Supervisor implements SupervisedChild {
  /** Identifies the supervisor among processes (it has no thread of its own). */
  readonly pid: Pid;
  readonly name: string;
  readonly strategy: RestartStrategy;
  readonly #children: ChildState[] = [];
  readonly #intensity: RestartIntensity;
  readonly #removeWhenDone: boolean;
  readonly #maxChildren: number;
  /** Children the supervisor stops itself: their exits are not crashes. */
  readonly #deliberate = new WeakSet<SupervisedChild>();
  #operations: Promise<unknown> = Promise.resolve();
  #exitReason: ExitReason | undefined;
  readonly #exited: Promise<ExitReason>;
  #markExited!: (reason: ExitReason) => void;

  /** Made by {@link Supervisor.start}; not for direct use. */
  constructor(options: Required<SupervisorOptions>, behaviour: SupervisorBehaviour) {
    assertNotInWorkerOtpThread('Supervisor.start');
    this.pid = makePid(processTable.registry.allocatePid());
    this.name = options.name;
    this.strategy = options.strategy;
    this.#intensity = new RestartIntensity(options.maxRestarts, options.maxSeconds);
    this.#removeWhenDone = behaviour.removeWhenDone;
    this.#maxChildren = behaviour.maxChildren;
    this.#exited = new Promise((resolve) => (this.#markExited = resolve));
    runningSupervisors.add(this);
  }

  /**
   * Starts a supervisor and its children, in order. If a child fails to start, the ones
   * started before it are stopped (reverse order) and this rejects with a
   * `SupervisorError` (`ERR_CHILD_START`) whose cause is the child's error.
   */
  static async start(children: readonly ChildSpec[], options: SupervisorOptions = {}): Promise<Supervisor> {
    if (!Array.isArray(children)) throw new TypeError(`worker-otp supervisor: children must be an array of child specs; got ${describeValue(children)}`);
    const resolvedOptions = validateOptions(options);
    joinAppTelemetry();
    const specs = children.map((spec, index) => resolveChildSpec(spec, `children[${index}]`));
    const duplicate = specs.find((spec, index) => specs.findIndex((other) => other.id === spec.id) !== index);
    if (duplicate) throw SupervisorError.duplicateChildId(resolvedOptions.name, duplicate.id);
    const supervisor = new Supervisor(resolvedOptions, { removeWhenDone: false, maxChildren: Infinity });
    await supervisor.#initialise(specs);
    return supervisor;
  }

  /** @internal The engine of DynamicSupervisor: no children yet, one_for_one, exited children removed. */
  static async startDynamic(options: Omit<SupervisorOptions, 'strategy'>, maxChildren: number): Promise<Supervisor> {
    const supervisor = new Supervisor(validateOptions({ ...options, strategy: 'one_for_one' }), { removeWhenDone: true, maxChildren });
    await supervisor.#initialise([]);
    return supervisor;
  }

  /** Starts the children at creation, under a `<name>.start` span. */
  async #initialise(specs: ResolvedChildSpec[]): Promise<void> {
    await runInSpan(true, `${this.name}.start`, SpanKind.INTERNAL, context.active(), this.#attributes(), async () => {
      for (const spec of specs) {
        const state: ChildState = { spec, child: undefined, departing: undefined, restarting: false, restarts: 0 };
        this.#children.push(state);
        try {
          await this.#startChild(state);
        } catch (error) {
          this.#children.pop();
          await this.#stopAll();
          this.#finish(thrownReason(error));
          throw SupervisorError.childStart(this.name, spec.id, error);
        }
      }
    });
  }

  /** Why it exited, once it has. */
  get exitReason(): ExitReason | undefined {
    return this.#exitReason;
  }

  /** Whether it is running. */
  get alive(): boolean {
    return this.#exitReason === undefined;
  }

  /** Resolves with the exit reason once the supervisor and all its children are gone. */
  exited(): Promise<ExitReason> {
    return this.#exited;
  }

  /**
   * Resolves once every operation queued so far is done: restarts under way included.
   * Like a synchronous call to an OTP supervisor, it answers after what came before it.
   * (A child's exit is queued right after the exit itself, within the same turn of the
   * event loop.)
   */
  async settled(): Promise<void> {
    await this.#operations;
  }

  /** The children, in start order (OTP's `which_children`). */
  whichChildren(): ChildInfo[] {
    return this.#children.map((state) => ({
      id: state.spec.id,
      pid: state.child?.pid ?? (state.restarting ? 'restarting' : undefined),
      type: state.spec.type,
      restarts: state.restarts,
    }));
  }

  /** Counts of children (OTP's `count_children`). */
  countChildren(): ChildCounts {
    return {
      specs: this.#children.length,
      active: this.#children.filter((state) => state.child !== undefined).length,
      supervisors: this.#children.filter((state) => state.spec.type === 'supervisor').length,
      workers: this.#children.filter((state) => state.spec.type === 'worker').length,
    };
  }

  /** Adds a child and starts it; resolves with its pid (OTP's `start_child`). */
  startChild(spec: ChildSpec): Promise<Pid> {
    return this.#serially(async () => {
      const resolved = resolveChildSpec(spec, 'spec');
      if (this.#children.length >= this.#maxChildren) throw SupervisorError.maxChildren(this.name, this.#maxChildren);
      if (this.#children.some((state) => state.spec.id === resolved.id)) {
        throw SupervisorError.duplicateChildId(this.name, resolved.id);
      }
      const state: ChildState = { spec: resolved, child: undefined, departing: undefined, restarting: false, restarts: 0 };
      this.#children.push(state);
      try {
        await this.#startChild(state);
      } catch (error) {
        this.#children.splice(this.#children.indexOf(state), 1);
        throw SupervisorError.childStart(this.name, resolved.id, error);
      }
      return state.child!.pid;
    });
  }

  /** Stops a child and keeps its spec, so it can be restarted (OTP's `terminate_child`). */
  terminateChild(id: string): Promise<void> {
    return this.#serially(async () => {
      const state = this.#find(id);
      await this.#stopChild(state);
      if (state.spec.restart === 'temporary' || this.#removeWhenDone) this.#remove(state);
    });
  }

  /** Starts a terminated child again (OTP's `restart_child`). */
  restartChild(id: string): Promise<Pid> {
    return this.#serially(async () => {
      const state = this.#find(id);
      if (state.child) throw SupervisorError.childRunning(this.name, id, 'restart');
      try {
        await this.#startChild(state);
      } catch (error) {
        throw SupervisorError.childStart(this.name, id, error);
      }
      return state.child!.pid;
    });
  }

  /** Forgets a terminated child's spec (OTP's `delete_child`). */
  deleteChild(id: string): Promise<void> {
    return this.#serially(async () => {
      const state = this.#find(id);
      if (state.child) throw SupervisorError.childRunning(this.name, id, 'delete');
      this.#remove(state);
    });
  }

  /**
   * Stops every child in reverse start order, each given its `shutdown` time, then exits
   * with `reason`. Past `timeoutMs` (default: no limit) the remaining children are killed.
   * Idempotent.
   */
  async stop(reason: StopReason = 'normal', timeoutMs = Infinity): Promise<void> {
    validateTimeout(timeoutMs, 'timeoutMs');
    if (this.#exitReason === undefined) {
      const stopping = this.#serially(async () => {
        if (this.#exitReason !== undefined) return;
        // The children's terminate spans nest under this one.
        await runInSpan(true, `${this.name}.stop`, SpanKind.INTERNAL, context.active(), this.#attributes(), () => this.#stopAll());
        this.#finish(exitReasonFrom(reason));
      });
      const timer = startTimeout(timeoutMs, () => void this.kill());
      await stopping.finally(() => clearTimeout(timer));
    }
    await this.#exited;
  }

  /** Kills every child at once, without `terminate`, and exits with `killed`. */
  async kill(): Promise<void> {
    if (this.#exitReason === undefined) {
      const running = this.#children.flatMap((state) => (state.child ? [state.child] : []));
      for (const child of running) this.#deliberate.add(child);
      await Promise.all(running.map((child) => child.kill()));
      this.#finish({ type: 'killed' });
    }
    await this.#exited;
  }

  #attributes(): Record<string, string | number> {
    return { [ATTR_SUPERVISOR]: this.name, [ATTR_STRATEGY]: this.strategy, [ATTR_PID]: this.pid.pid };
  }


  /** Runs supervisor operations one at a time, in order. */
  #serially<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#exitReason !== undefined) {
      return Promise.reject(SupervisorError.supervisorExited(this.name, describeExitReason(this.#exitReason)));
    }
    const result = this.#operations.then(operation);
    this.#operations = result.catch(() => undefined);
    return result;
  }

  #find(id: string): ChildState {
    const state = this.#children.find((candidate) => candidate.spec.id === id);
    if (!state) throw SupervisorError.childNotFound(this.name, { id });
    return state;
  }

  #remove(state: ChildState): void {
    const index = this.#children.indexOf(state);
    if (index >= 0) this.#children.splice(index, 1);
  }

  async #startChild(state: ChildState): Promise<void> {
    const replacing = state.departing;
    // A restart may start before the crashed child's thread is gone only where the spec
    // says its start waits for that (startEarly); any other start waits for the end first.
    if (replacing && !state.spec.startEarly) await replacing;
    const child = await (replacing && state.spec.startEarly ? state.spec.start({ previousExited: replacing }) : state.spec.start());
    if (!child || typeof child.exited !== 'function' || typeof child.stop !== 'function' || typeof child.kill !== 'function') {
      throw new TypeError(`worker-otp supervisor: the start of child ${state.spec.id} must resolve to a GenServer or a Supervisor; got ${describeValue(child)}`);
    }
    state.child = child;
    state.departing = undefined;
    const childPid = child.pid.pid;
    supervisedPids.add(childPid);
    void child.exited().then(() => supervisedPids.delete(childPid));
    // A child that says it exits before its thread is gone is handled then: its replacement
    // starts while it ends (the replacement's init waits for the end).
    void (child.exiting?.() ?? child.exited()).then((reason) => {
      if (this.#deliberate.has(child)) return;
      // Serialised with every other operation: OTP handles one EXIT message at a time.
      void this.#serially(() => this.#childExited(state, child, reason)).catch(() => undefined);
    });
  }

  async #stopChild(state: ChildState): Promise<void> {
    const child = state.child;
    if (!child) return;
    this.#deliberate.add(child);
    state.child = undefined;
    const { shutdown } = state.spec;
    if (shutdown === 'brutal_kill') await child.kill();
    else await child.stop('shutdown', shutdown === 'infinity' ? Infinity : shutdown);
  }

  /** Stops the running children in reverse start order. */
  async #stopAll(): Promise<void> {
    for (const state of [...this.#children].reverse()) await this.#stopChild(state);
    await Promise.all(this.#children.map((state) => state.departing));
  }

  #finish(reason: ExitReason): void {
    if (this.#exitReason !== undefined) return;
    this.#exitReason = reason;
    runningSupervisors.delete(this);
    this.#markExited(reason);
  }

  async #childExited(state: ChildState, child: SupervisedChild, reason: ExitReason): Promise<void> {
    if (state.child !== child) return;
    state.child = undefined;
    const exited = child.exited();
    state.departing = exited;
    void exited.then(() => {
      if (state.departing === exited) state.departing = undefined;
    });
    if (!isRestarted(state.spec.restart, reason)) {
      if (state.spec.restart === 'temporary' || this.#removeWhenDone) this.#remove(state);
      return;
    }
    const links: Link[] = child.lastSpanContext ? [{ context: child.lastSpanContext }] : [];
    await this.#restart(state, reason, links, child.pid.pid);
  }

  /** Restarts per the strategy, under a `<name>.restart_child` span linked to the crash. */
  async #restart(state: ChildState, reason: ExitReason, links: Link[], oldPid: number): Promise<void> {
    const crash = describeExitReason(reason);
    if (!this.#intensity.allow()) {
      await this.#giveUp(state, crash, links);
      return;
    }
    state.restarts += 1;
    supervisionMetrics()?.restarts.add(1, { [ATTR_SUPERVISOR]: this.name, [ATTR_CHILD_ID]: state.spec.id });
    const span = runtimeTracer().startSpan(
      `${this.name}.restart_child`,
      {
        kind: SpanKind.INTERNAL,
        links,
        attributes: { ...this.#attributes(), [ATTR_CHILD_ID]: state.spec.id, [ATTR_EXIT_REASON]: crash, [ATTR_RESTART_COUNT]: state.restarts },
      },
      ROOT_CONTEXT,
    );
    // Stops and starts run inside the restart span: terminate and init spans nest under it.
    const restartContext = trace.setSpan(ROOT_CONTEXT, span);
    const affected = childrenToRestart(this.strategy, this.#children.length, this.#children.indexOf(state)).map((index) => this.#children[index]!);
    let failure: { member: ChildState; description: string } | undefined;
    try {
      await context.with(restartContext, async () => {
        for (const sibling of [...affected].reverse()) await this.#stopChild(sibling);
        for (const member of affected) member.restarting = true;
        for (const member of affected) {
          const description = await this.#startUntilUp(member, span);
          if (description !== undefined) {
            failure = { member, description };
            return;
          }
        }
      });
    } finally {
      for (const member of affected) member.restarting = false;
      span.end();
    }
    if (listening('supervisorRestart')) {
      publish('supervisorRestart', { supervisor: this.name, childId: state.spec.id, oldPid, newPid: state.child?.pid.pid, reason });
    }
    if (failure) await this.#giveUp(failure.member, failure.description, links);
  }

  /**
   * Starts a child, retrying while the intensity allows (each failed start counts as a
   * restart, as in OTP). Returns what failed last when the intensity ran out.
   */
  async #startUntilUp(member: ChildState, span: Span): Promise<string | undefined> {
    for (;;) {
      try {
        await this.#startChild(member);
        return undefined;
      } catch (error) {
        recordFailure(span, error);
        const description = `start of ${member.spec.id} failed: ${(error as Error)?.message ?? describeValue(error)}`;
        diag.warn(`worker-otp supervisor ${this.name}: ${description}`);
        if (!this.#intensity.allow()) return description;
      }
    }
  }

  /** Past the restart intensity: stop everything and exit, so the parent decides. */
  async #giveUp(state: ChildState, lastCrash: string, links: Link[]): Promise<void> {
    const error = new RestartIntensityError(this.name, this.#intensity.maxRestarts, this.#intensity.maxSeconds, `${state.spec.id}: ${lastCrash}`);
    supervisionMetrics()?.intensityReached.add(1, { [ATTR_SUPERVISOR]: this.name });
    const span = runtimeTracer().startSpan(
      `${this.name}.restart_intensity_reached`,
      { kind: SpanKind.INTERNAL, links, attributes: { ...this.#attributes(), [ATTR_CHILD_ID]: state.spec.id, [ATTR_EXIT_REASON]: lastCrash } },
      ROOT_CONTEXT,
    );
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    await context.with(trace.setSpan(ROOT_CONTEXT, span), () => this.#stopAll());
    span.end();
    this.#finish({ type: 'error', error });
  }
}

/** A supervisor child: a nested Supervisor with its own children (default shutdown `infinity`). */
export function supervisorChild(
  id: string,
  children: readonly ChildSpec[],
  options: SupervisorOptions & { readonly restart?: ChildSpec['restart']; readonly shutdown?: ChildSpec['shutdown'] } = {},
): ChildSpec {
  const { restart, shutdown, ...supervisorOptions } = options;
  return {
    id,
    start: () => Supervisor.start(children, { name: id, ...supervisorOptions }),
    type: 'supervisor',
    ...(restart ? { restart } : {}),
    ...(shutdown !== undefined ? { shutdown } : {}),
  };
}
