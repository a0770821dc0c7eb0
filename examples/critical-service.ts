/**
 * The reference's CriticalService, under a supervisor: started, asked for its status,
 * shut down cleanly. Its `critical_service.init` and `critical_service.terminate` spans
 * carry the reference's attributes. Run after `npm run build`:
 *
 *   node dist/examples/critical-service.js
 */
import { join } from 'node:path';
import { Supervisor, call, workerChild } from '../index';
import type CriticalService from './critical-service-server';
import { runAlone } from './support/example-main';
import { check, type Scenario } from './support/scenario';

export const scenario: Scenario = {
  name: 'critical-service',
  summary: 'the reference CriticalService lifecycle: init and terminate spans, under a supervisor',
  async run({ log }) {
    const supervisor = await Supervisor.start(
      [
        workerChild<typeof CriticalService>('critical_service', join(__dirname, 'critical-service-server.js'), { resources: ['db', 'cache'] }, { name: 'critical_service' }),
      ],
      { name: 'critical_sup' },
    );
    try {
      const status = await call<{ resources: string[] }>('critical_service', { type: 'status' });
      check(status.resources.join(',') === 'db,cache', `critical_service reported resources ${status.resources.join(', ')}`);
      log(`critical_service ran with ${status.resources.join(', ')} and shut down cleanly`);
    } finally {
      await supervisor.stop();
    }
    check((await supervisor.exited()).type === 'normal', 'critical_sup did not exit normally');
  },
};

if (require.main === module) void runAlone(scenario);
