// analyzer-server.ts: receives the samples moved, not copied
import { defineGenServer } from 'worker-otp/workers';

export default defineGenServer<{ state: null; call: { type: 'mean'; samples: Float64Array }; reply: number }>({
  init: () => ({ ok: null }),
  handleCall: ({ samples }, _from, state) => ({ reply: samples.reduce((sum, value) => sum + value, 0) / samples.length, state }),
});
