// cache-server.ts (compiled to cache-server.js)
import { defineGenServer } from 'worker-otp/workers';

type Call = { type: 'get'; key: string };
type Cast = { type: 'put'; key: string; value: string };

export default defineGenServer<{ state: Record<string, string>; call: Call; cast: Cast; reply: string | undefined }>({
  name: 'cache',
  init: () => ({ ok: {} }),
  handleCall: (request, _from, state) => ({ reply: state[request.key], state }),
  handleCast: (message, state) => ({ noreply: true, state: { ...state, [message.key]: message.value } }),
  // Runs before the process exits (not after kill): release what init opened.
  terminate: (reason, state) => console.log(`cache exits (${reason.type}) with ${Object.keys(state).length} keys`),
});
