import { Supervisor, supervisorChild, workerChild } from 'worker-otp';

export async function startApp(): Promise<Supervisor> {
  return Supervisor.start(
    [
      workerChild('cache', require.resolve('./cache-server'), undefined, { name: 'cache' }),
      supervisorChild('jobs', [workerChild('runner', require.resolve('./runner'), undefined)], { strategy: 'one_for_all' }),
    ],
    { strategy: 'one_for_one', maxRestarts: 3, maxSeconds: 5, name: 'app' },
  );
}
// await app.stop(): children stop in reverse start order, each given its shutdown time
