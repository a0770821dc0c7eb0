// cache-server.ts (compiled to cache-server.js)
import { defineGenServer } from 'worker-otp/workers';

type Call = { type: 'get'; key: string };
type Cast = { type: 'put'; key: string; value: string };

export default defineGenServer<{ state: Record<string, string>; call: Call; cast: Cast; reply: string | undefined }>({
  name: 'cache',
  init: () => ({ ok: {} }),
  handleCall: (request, _from, state) => ({ reply: state[request.key], state }),
  handleCast: (message, state) => ({ noreply: true, state: { ...state, [message.key]: message.value } }),
  terminate: (reason, state) => {
    // release what init opened; reason says why the process exits
  },
});
