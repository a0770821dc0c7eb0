import { defineGenServer } from 'worker-otp/workers';

type Call = { readonly type: 'add'; readonly by: number };

export default defineGenServer<{ state: number; call: Call; reply: number; initArg: number }>({
  init: (start) => ({ ok: start }),
  handleCall: (request, _from, state) => ({ reply: state + request.by, state: state + request.by }),
});
