/** Spans of tasks, read from a real OTLP receiver. */
import { trace } from '@opentelemetry/api';
import { TaskSupervisor, startTelemetry, taskRef, type Telemetry } from '../../../dist';
import type * as Tasks from '../../../dist/tests/fixtures/tasks';
import { fixturePath } from '../../../dist/tests/support/fixtures';
import { OtlpReceiver } from '../../../dist/tests/support/otlp-receiver';

const square = taskRef<typeof Tasks, 'square'>(fixturePath('tasks'), 'square');
const sleep = taskRef<typeof Tasks, 'sleep'>(fixturePath('tasks'), 'sleep');
let receiver: OtlpReceiver;
let telemetry: Telemetry;
let supervisor: TaskSupervisor;

beforeEach(async () => {
  receiver = await OtlpReceiver.start();
  telemetry = startTelemetry({ serviceName: 'task-test', endpoint: receiver.url, env: {} });
  supervisor = TaskSupervisor.start({ name: 'traced_tasks', minThreads: 2, maxThreads: 2 });
});

afterEach(async () => {
  await supervisor.shutdown();
  await telemetry.shutdown();
  await receiver.close();
});

const inSpan = <T>(name: string, fn: () => Promise<T>) =>
  trace.getTracer('task-test').startActiveSpan(name, async (span) => {
    try {
      return await fn();
    } finally {
      span.end();
    }
  });

it('nests each streamed task under the caller: submit on main, run on a pool thread, user spans inside', async () => {
  await inSpan('main.stream', async () => {
    for await (const outcome of supervisor.asyncStream([1, 2, 3], square)) void outcome;
  });
  await telemetry.shutdown();
  const root = receiver.only('main.stream');
  const submits = receiver.named('square.submit');
  expect(submits).toHaveLength(3);
  for (const submit of submits) {
    expect(submit.parentSpanId).toBe(root.spanId);
    expect(submit.kind).toBe('CLIENT');
    const run = receiver.spans.find((span) => span.parentSpanId === submit.spanId)!;
    expect(run.name).toBe('square.run');
    expect(run.kind).toBe('SERVER');
    expect(String(run.attributes['thread.name'])).toMatch(/^traced_tasks#\d+$/);
    expect(receiver.spans.filter((span) => span.parentSpanId === run.spanId).map((span) => span.name)).toEqual(['tasks.square_work']);
  }
});

it('records one span per batch chunk, with its item count, under the caller', async () => {
  await inSpan('main.batch', () => supervisor.map(Array.from({ length: 25 }, (_, index) => index), square, { chunkSize: 10 }));
  await telemetry.shutdown();
  const chunks = receiver.named('square.map_chunk');
  expect(chunks.map((span) => span.attributes['worker_otp.task.items']).sort()).toEqual([10, 10, 5]);
  expect(chunks.every((span) => span.parentSpanId === receiver.only('main.batch').spanId)).toBe(true);
  expect(receiver.named('tasks.square_work')).toHaveLength(25);
  expect(receiver.named('square.submit')).toHaveLength(0);
});

it('marks the submit span of a cancelled task with the timeout', async () => {
  await inSpan('main.timeout', () => supervisor.async(sleep, 5000).await(50).catch(() => undefined));
  await telemetry.shutdown();
  const submit = receiver.only('sleep.submit');
  expect(submit.status.code).toBe('ERROR');
  expect(submit.status.message).toContain('TaskTimeoutError');
});
