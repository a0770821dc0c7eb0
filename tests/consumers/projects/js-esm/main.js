import { TaskSupervisor, startGenServer, taskRef } from 'worker-otp';
import { NoProcessError } from 'worker-otp/workers';

const counter = await startGenServer(new URL('./server.js', import.meta.url), 40);
const total = await counter.call({ type: 'add', by: 2 });
const tasks = TaskSupervisor.start({ name: 'squares', maxThreads: 2 });
const squares = await tasks.map([1, 2, 3], taskRef(import.meta.resolve('./tasks.js'), 'square'));
await counter.stop();
await tasks.shutdown();
console.log(JSON.stringify({ total, squares, errors: typeof NoProcessError }));
