/** Restart spans, their links to the crashed callback, and the intensity span, read from a real OTLP receiver. */
import { Supervisor, call, startTelemetry, workerChild, type Telemetry } from '../../dist';
import type Supervised from '../../dist/tests/fixtures/supervised-worker';
import { Board } from '../../dist/tests/support/board';
import { fixturePath } from '../../dist/tests/support/fixtures';
import { OtlpReceiver } from '../../dist/tests/support/otlp-receiver';

let receiver: OtlpReceiver;
let telemetry: Telemetry;
let board: Board;

beforeEach(async () => {
  receiver = await OtlpReceiver.start();
  telemetry = startTelemetry({ serviceName: 'supervisor-test', endpoint: receiver.url, env: {} });
  board = new Board();
});

afterEach(async () => {
  await telemetry.shutdown();
  await receiver.close();
});

it('records each restart as a span linked to the crashed callback, and the intensity limit as an error span', async () => {
  const supervisor = await Supervisor.start(
    [workerChild<typeof Supervised>('worker', fixturePath('supervised-worker'), board.init('worker', 0), { name: 'worker' })],
    { name: 'app_sup', maxRestarts: 1, maxSeconds: 30 },
  );
  await expect(call('worker', { type: 'crash' })).rejects.toMatchObject({ code: 'ERR_PROCESS_EXIT' });
  await board.waitForStarts(2);
  await call('worker', { type: 'whoami' });
  await expect(call('worker', { type: 'crash' })).rejects.toMatchObject({ code: 'ERR_PROCESS_EXIT' });
  await supervisor.exited();
  await telemetry.shutdown();

  const crashes = receiver.named('worker.handle_call').filter((span) => span.status.code === 'ERROR');
  expect(crashes).toHaveLength(2);
  const restart = receiver.only('app_sup.restart_child');
  expect(restart.attributes).toEqual(
    expect.objectContaining({
      'worker_otp.child.id': 'worker',
      'worker_otp.exit.reason': 'error: Error: poison in worker',
      'worker_otp.supervisor.strategy': 'one_for_one',
      'worker_otp.child.restart_count': 1,
    }),
  );
  expect(restart.links).toEqual([expect.objectContaining({ traceId: crashes[0]!.traceId, spanId: crashes[0]!.spanId })]);
  // The restarted process's init runs inside the restart span.
  const inits = receiver.named('worker.init');
  expect(inits.filter((span) => span.parentSpanId === restart.spanId)).toHaveLength(1);

  const limit = receiver.only('app_sup.restart_intensity_reached');
  expect(limit.status.code).toBe('ERROR');
  expect(limit.status.message).toContain('more than 1 restarts within 30 s');
  expect(limit.links).toEqual([expect.objectContaining({ spanId: crashes[1]!.spanId })]);
  expect(receiver.named('app_sup.start')).toHaveLength(1);
});
