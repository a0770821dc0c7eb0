import { TaskSupervisor, awaitMany, taskRef } from 'worker-otp';
import type * as Reports from './report-tasks';

const fetchUser = taskRef<typeof Reports, 'fetchUser'>(require.resolve('./report-tasks'), 'fetchUser');

export async function runTasks(): Promise<void> {
  const tasks = TaskSupervisor.start({ name: 'report_tasks', maxThreads: 4 });
  const user = await tasks.async(fetchUser, 42).await(10_000); // Task.await
  const [first, second] = await awaitMany([tasks.async(fetchUser, 1), tasks.async(fetchUser, 2)]);
  const outcome = await tasks.asyncNolink(fetchUser, 3).outcome(); // { status: 'ok' | 'exit', ... }
  for await (const result of tasks.asyncStream([4, 5, 6], fetchUser, { maxConcurrency: 2 })) {
    console.log(result); // { status: 'ok', value }, in input order
  }
  const users = await tasks.map([7, 8, 9], fetchUser); // chunks of items per message, on all threads
  console.log(user, first, second, outcome, users);
  await tasks.shutdown();
}
