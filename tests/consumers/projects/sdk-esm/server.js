import { defineGenServer } from 'worker-otp/workers';

export default defineGenServer({
  init: (start) => ({ ok: start }),
  handleCall: (request, _from, state) => ({ reply: state + request.by, state: state + request.by }),
});
