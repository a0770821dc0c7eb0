// coordinator-server.ts: OTP from inside a process
import { defineGenServer, startGenServer, taskRef, taskSupervisor, trapExits, type ExitMessage } from 'worker-otp/workers';
import type CacheServer from './cache-server';
import type * as Reports from './report-tasks';

const fetchUser = taskRef<typeof Reports, 'fetchUser'>(require.resolve('./report-tasks'), 'fetchUser');

export default defineGenServer<{ state: { crashes: number }; call: { type: 'users'; ids: number[] }; info: ExitMessage; reply: unknown }>({
  async init() {
    await trapExits(true); // a linked child's crash arrives as an EXIT message, not as this process's end
    const cache = await startGenServer<typeof CacheServer>(require.resolve('./cache-server'), undefined, { link: true });
    cache.cast({ type: 'put', key: 'started', value: 'yes' });
    return { ok: { crashes: 0 } };
  },
  async handleCall(request, _from, state) {
    // On the pool the main thread started as 'report_tasks', inside this call's trace.
    const users = await taskSupervisor('report_tasks').map(request.ids, fetchUser);
    return { reply: users, state };
  },
  handleInfo: (exit, state) => ({ noreply: true, state: { crashes: state.crashes + (exit.reason.type === 'normal' ? 0 : 1) } }),
});
