import { stopOnSignals } from 'worker-otp';

// On SIGTERM or SIGINT: stopAll(), then the process dies of the signal (exit status 143
// for SIGTERM). A second signal while stopping exits at once.
stopOnSignals({ timeoutMs: 20_000 });
