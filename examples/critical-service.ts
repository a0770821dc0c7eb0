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
import { exampleMain } from './support/example-main';

exampleMain('critical-service-example', async () => {
  const supervisor = await Supervisor.start(
    [
      workerChild<typeof CriticalService>('critical_service', join(__dirname, 'critical-service-server.js'), { resources: ['db', 'cache'] }, { name: 'critical_service' }),
    ],
    { name: 'critical_sup' },
  );
  const status = await call<{ resources: string[] }>('critical_service', { type: 'status' });
  await supervisor.stop();
  console.log(`critical_service ran with ${status.resources.join(', ')} and shut down cleanly`);
});
