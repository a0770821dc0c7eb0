import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { tracedEndpoint } from 'worker-otp';

type MathApi = { add(a: number, b: number): number };

export async function addInWorker(): Promise<number> {
  const math = Comlink.wrap<MathApi>(tracedEndpoint(new Worker('./math.js'), { name: 'math' }));
  return math.add(2, 3); // spans math.add (CLIENT) -> math.add (SERVER) -> your spans inside
}
// math.js: startWorkerTelemetry(); Comlink.expose(mathApi, tracedEndpoint(parentPort!, { name: 'math' }));
