/**
 * What a process asks the main thread for about processes: starting one (linked to it or
 * not), stopping, killing, finding one by name, links and trapping exits, monitors, and
 * process groups. Registered with the process table's runtime requests when worker-otp is
 * loaded; the supervision layer registers its own (supervisors, tasks).
 */
import { NoProcessError, ProcessContextError, describeValue, type ExitReason, type StopReason } from '../errors';
import type { WireProcessRef } from '../protocol/envelopes';
import { describeRef, makePid, type ProcessRef } from '../protocol/pid';
import { kill, stop } from './client';
import { clusterLink } from './cluster-link';
import { broadcast } from './groups';
import type { ProcessRecord } from './process-record';
import { processTable } from './process-table';
import { startGenServer, type StartOptions } from './start-gen-server';

/** How a process names another in a request: a pid number or a registered name; a process on another node is refused. */
function refOf(target: WireProcessRef): ProcessRef {
  if (typeof target === 'object') {
    throw new TypeError(`worker-otp: ${describeRef(target)} is on another node; links, monitors, stop and kill act on this program's processes (watch nodes with monitorNodes)`);
  }
  return typeof target === 'number' ? makePid(target) : target;
}

function isCaller(caller: ProcessRecord, target: WireProcessRef): boolean {
  return target === caller.pid || (caller.name !== undefined && target === caller.name);
}

/** The arguments of a start from a process: the main thread's options, plus whether to link. */
export interface StartRequest {
  readonly module: string;
  readonly initArg: unknown;
  readonly options: Omit<StartOptions, 'initAfter' | 'resourceLimits'> & { readonly link?: boolean; readonly resourceLimits?: StartOptions['resourceLimits'] };
}

let nextMonitorRef = 1;

const requests = processTable.requests;

requests.register('start', async (caller, args) => {
  const { module, initArg, options } = args as StartRequest;
  const { link = false, ...startOptions } = options ?? {};
  const server = await startGenServer(module, initArg, startOptions);
  const child = processTable.registry.get(server.pid.pid);
  if (link && child !== undefined) {
    // A parent gone by now cannot be linked to: its linked child hears `noproc`.
    if (caller.exitReason === undefined) processTable.link(caller, child);
    else processTable.exitWith(child, { type: 'noproc' });
  }
  return { pid: server.pid.pid, name: server.name };
});

requests.register('stop', async (caller, args) => {
  const { target, reason, timeoutMs } = args as { target: WireProcessRef; reason?: StopReason; timeoutMs?: number };
  if (isCaller(caller, target)) throw ProcessContextError.stopsItself(caller.label);
  await stop(refOf(target), reason, timeoutMs);
});

requests.register('kill', async (_caller, args) => {
  await kill(refOf((args as { target: WireProcessRef }).target));
});

requests.register('whereis', (_caller, args) => processTable.registry.whereis((args as { name: string }).name));

// Cluster-wide names, through this program's node.
requests.register('global.register', (caller, args) => clusterLink('registerGlobal').registerGlobal((args as { name: string }).name, caller.pid));
requests.register('global.unregister', (_caller, args) => clusterLink('unregisterGlobal').unregisterGlobal((args as { name: string }).name));
requests.register('global.whereis', (_caller, args) => clusterLink('whereisGlobal').whereisGlobal((args as { name: string }).name));

requests.register('link', (caller, args) => {
  const { target } = args as { target: WireProcessRef };
  const linked = processTable.registry.resolve(target);
  if (linked !== undefined) {
    processTable.link(caller, linked);
    return;
  }
  // OTP: linking to a process that is not there fails, or, trapping exits, says so.
  if (!caller.trapExits) throw new NoProcessError(describeValue(target));
  processTable.signal(caller, 'exit', typeof target === 'number' ? target : 0, { type: 'noproc' });
});

requests.register('unlink', (caller, args) => {
  const { target } = args as { target: WireProcessRef };
  const pid = typeof target === 'number' ? target : typeof target === 'string' ? processTable.registry.whereis(target) : undefined;
  if (pid !== undefined) processTable.unlink(caller, processTable.registry.get(pid), pid);
});

requests.register('trap_exits', (caller, args) => {
  const previous = caller.trapExits;
  caller.trapExits = (args as { on: boolean }).on === true;
  return previous;
});

/** The monitors each process holds, by ref: each removes itself from its target when demonitored or when the process exits. */
const monitorsOf = new WeakMap<ProcessRecord, Map<number, () => void>>();

requests.register('monitor', (caller, args) => {
  const { target } = args as { target: WireProcessRef };
  const ref = nextMonitorRef++;
  const watched = processTable.registry.resolve(target) ?? (typeof target === 'number' ? processTable.registry.get(target) : undefined);
  if (watched === undefined) {
    // Told after the answer, as OTP sends DOWN for a process that is not there.
    queueMicrotask(() => processTable.signal(caller, 'down', typeof target === 'number' ? target : 0, { type: 'noproc' }, ref));
    return ref;
  }
  let held = monitorsOf.get(caller);
  if (held === undefined) {
    monitorsOf.set(caller, (held = new Map()));
    // Monitors die with the process that holds them.
    caller.monitors.add(() => {
      for (const remove of held!.values()) remove();
    });
  }
  const listener = (reason: ExitReason, pid: number) => {
    held!.delete(ref);
    processTable.signal(caller, 'down', pid, reason, ref);
  };
  watched.monitors.add(listener);
  held.set(ref, () => watched.monitors.delete(listener));
  return ref;
});

requests.register('demonitor', (caller, args) => {
  const { ref } = args as { ref: number };
  const held = monitorsOf.get(caller);
  held?.get(ref)?.();
  return held?.delete(ref) ?? false;
});

requests.register('group_join', (caller, args) => processTable.groups.join((args as { group: string }).group, caller.pid));
requests.register('group_leave', (caller, args) => processTable.groups.leave((args as { group: string }).group, caller.pid));
requests.register('group_members', (_caller, args) => processTable.groups.members((args as { group: string }).group).map((pid) => pid.pid));
requests.register('group_message', (_caller, args) => {
  const { group, kind, message } = args as { group: string; kind: 'cast' | 'info'; message: unknown };
  return broadcast(group, kind, message).length;
});
