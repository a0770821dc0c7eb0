import { TaskSupervisor, startGenServer, taskRef, type GenServer } from 'worker-otp';
import { NoProcessError } from 'worker-otp/workers';
import type Counter from './server.js';
import type * as Tasks from './tasks.js';

const counter: GenServer<typeof Counter> = await startGenServer<typeof Counter>(new URL('./server.js', import.meta.url), 40);
const total: number = await counter.call({ type: 'add', by: 2 });
const tasks = TaskSupervisor.start({ name: 'squares', maxThreads: 2 });
const squares: number[] = await tasks.map([1, 2, 3], taskRef<typeof Tasks, 'square'>(import.meta.resolve('./tasks.js'), 'square'));
await counter.stop();
await tasks.shutdown();
console.log(JSON.stringify({ total, squares, errors: typeof NoProcessError }));
