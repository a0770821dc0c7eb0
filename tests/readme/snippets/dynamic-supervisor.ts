import { DynamicSupervisor, workerChild } from 'worker-otp';

export async function oneSession(): Promise<void> {
  const sessions = await DynamicSupervisor.start({ name: 'sessions', maxChildren: 1000 });
  // Children are added at run time, their id optional; past maxChildren, startChild rejects
  // with a SupervisorError whose code is ERR_MAX_CHILDREN.
  const { id, ...spec } = workerChild('session', require.resolve('./session-server'), { userId: 42 });
  const pid = await sessions.startChild(spec);
  await sessions.terminateChild(pid);
  await sessions.stop();
}
