/**
 * A GenServer under a one_for_one supervisor crashes on a poison message. The caller
 * gets a ProcessExitError at once; the supervisor restarts the process (a
 * `crash_sup.restart_child` span linked to the crashed call); the next call by name
 * reaches the new process. Run after `npm run build`:
 *
 *   node dist/examples/supervised-crash.js
 */
import { join } from 'node:path';
import { ProcessExitError, Supervisor, call, monitor, whereis, workerChild } from '../index';
import type FlakyWorker from './flaky-worker-server';
import { exampleMain } from './support/example-main';

exampleMain('supervised-crash-example', async () => {
  const supervisor = await Supervisor.start(
    [workerChild<typeof FlakyWorker>('flaky_worker', join(__dirname, 'flaky-worker-server.js'), undefined, { name: 'flaky_worker' })],
    { name: 'crash_sup', strategy: 'one_for_one' },
  );
  const before = await call<string>('flaky_worker', { type: 'work', input: 'first' });
  console.log(`1. ${before}`);

  const firstPid = whereis('flaky_worker')!;
  const restarted = new Promise<void>((resolve) => monitor(firstPid, () => resolve()));
  try {
    await call('flaky_worker', { type: 'poison' });
    throw new Error('the poison call should have failed');
  } catch (error) {
    if (!(error instanceof ProcessExitError)) throw error;
    console.log(`2. the caller was told at once: ${error.message}`);
  }
  await restarted;
  // The supervisor handles the exit right after it (microtasks), and the new process holds
  // the name from its first moment; a call made now waits in its mailbox until init ran.
  // (Between the exit and the restart, a call by name gets NoProcessError, as in OTP.)
  await new Promise((resolve) => setImmediate(resolve));
  const after = await call<string>('flaky_worker', { type: 'work', input: 'second' });
  console.log(`3. restarted by crash_sup as ${JSON.stringify(whereis('flaky_worker'))} (was ${JSON.stringify(firstPid)}): ${after}`);

  await supervisor.stop();
});
