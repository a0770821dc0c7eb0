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
import { runAlone } from './support/example-main';
import { check, type Scenario } from './support/scenario';

export const scenario: Scenario = {
  name: 'supervised-crash',
  summary: 'a poison message crashes a worker: the caller is told at once, the supervisor restarts it',
  async run({ log }) {
    const supervisor = await Supervisor.start(
      [workerChild<typeof FlakyWorker>('flaky_worker', join(__dirname, 'flaky-worker-server.js'), undefined, { name: 'flaky_worker' })],
      { name: 'crash_sup', strategy: 'one_for_one' },
    );
    try {
      log(`1. ${await call<string>('flaky_worker', { type: 'work', input: 'first' })}`);
      const firstPid = whereis('flaky_worker')!;
      const exited = new Promise<void>((resolve) => monitor(firstPid, () => resolve()));
      const failure = await call('flaky_worker', { type: 'poison' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      check(failure instanceof ProcessExitError, `the poison call should fail with ProcessExitError; got ${String(failure)}`);
      log(`2. the caller was told at once: ${failure.message}`);
      await exited;
      // The supervisor handles the exit right after it (microtasks), and the new process
      // holds the name from its first moment; a call made now waits in its mailbox until
      // init ran. (Between the exit and the restart, a call by name gets NoProcessError.)
      await new Promise((resolve) => setImmediate(resolve));
      const after = await call<string>('flaky_worker', { type: 'work', input: 'second' });
      const secondPid = whereis('flaky_worker');
      check(secondPid !== undefined && secondPid.pid !== firstPid.pid, 'flaky_worker was not restarted under a new pid');
      log(`3. restarted by crash_sup as ${JSON.stringify(secondPid)} (was ${JSON.stringify(firstPid)}): ${after}`);
    } finally {
      await supervisor.stop();
    }
  },
};

if (require.main === module) void runAlone(scenario);
