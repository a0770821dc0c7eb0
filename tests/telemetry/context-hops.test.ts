/**
 * What a thread hop does to the trace context, end to end on real threads (W3C Trace
 * Context levels 1 and 2): an unsampled context reaches the process with its trace id,
 * flags and trace state, and leaves it the same way, with nothing recorded; the random
 * flag is kept; a context set by hand without ids starts nothing and breaks nothing.
 */
import { ROOT_CONTEXT, context, propagation, trace, type Context } from '@opentelemetry/api';
import { Supervisor, TaskSupervisor, startGenServer, startTelemetry, taskRef, workerChild, type GenServer, type Telemetry } from '../../dist';
import type Counter from '../../dist/tests/fixtures/counter-server';
import type * as Tasks from '../../dist/tests/fixtures/tasks';
import { fixturePath } from '../../dist/tests/support/fixtures';
import { OtlpReceiver } from '../../dist/tests/support/otlp-receiver';
import { W3CTraceState } from '../../dist/propagation/trace-state';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

let receiver: OtlpReceiver;
let telemetry: Telemetry;
let counter: GenServer<typeof Counter>;
let tasks: TaskSupervisor;
const headersTask = taskRef<typeof Tasks, 'headers'>(fixturePath('tasks'), 'headers');

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  telemetry = startTelemetry({ serviceName: 'context-hops', endpoint: receiver.url, env: {} });
  counter = await startGenServer<typeof Counter>(fixturePath('counter-server'), undefined);
  tasks = TaskSupervisor.start({ name: 'hops', minThreads: 1, maxThreads: 1 });
});

afterAll(async () => {
  await counter.stop();
  await tasks.shutdown();
  await telemetry.shutdown();
  await receiver.close();
});

/** A remote parent as an incoming HTTP request would give it, with trace state and baggage. */
function incoming(traceFlags: number): Context {
  const parent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: PARENT_ID,
    traceFlags,
    isRemote: true,
    traceState: W3CTraceState.parse('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7'),
  });
  return propagation.setBaggage(parent, propagation.createBaggage({ tenant: { value: 'acme' } }));
}

function parse(traceparent: string | undefined): { traceId: string; parentId: string; flags: string } {
  const [, traceId, parentId, flags] = traceparent?.split('-') ?? [];
  return { traceId: traceId!, parentId: parentId!, flags: flags! };
}

it.each([
  ['a GenServer call', () => counter.call({ type: 'headers' }) as Promise<Record<string, string>>],
  ['a task', () => tasks.async(headersTask).await()],
])('%s under an unsampled parent keeps the trace: traceparent 00, tracestate and baggage go on, nothing is recorded', async (_label, hop) => {
  const headers = await context.with(incoming(0x00), hop);
  const sent = parse(headers.traceparent);
  expect(sent.traceId).toBe(TRACE_ID);
  expect(sent.flags).toBe('00');
  expect(sent.parentId).toMatch(/^[0-9a-f]{16}$/);
  expect(headers.tracestate).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
  expect(headers.baggage).toBe('tenant=acme');
  await telemetry.forceFlush();
  expect(receiver.spans.filter((span) => span.traceId === TRACE_ID)).toEqual([]);
});

it('keeps the random trace id flag of a sampled parent across the hop, and records the trace', async () => {
  const headers = await context.with(incoming(0x03), () => counter.call({ type: 'headers' }) as Promise<Record<string, string>>);
  expect(parse(headers.traceparent)).toEqual(expect.objectContaining({ traceId: TRACE_ID, flags: '03' }));
  await telemetry.forceFlush();
  const handled = receiver.spans.find((span) => span.traceId === TRACE_ID && span.name === 'counter.handle_call');
  expect(handled?.traceState).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
});

it('a context set by hand without ids throws nowhere and starts new roots: call, cast, task, start, supervisor', async () => {
  const broken = trace.setSpanContext(ROOT_CONTEXT, {} as never);
  await context.with(broken, async () => {
    await expect(counter.call({ type: 'echo', value: 1 })).resolves.toBe(1);
    expect(() => counter.cast({ type: 'append', value: 2 })).not.toThrow();
    await expect(tasks.async(headersTask).await()).resolves.toEqual(expect.objectContaining({ traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]$/) }));
    const another = await startGenServer<typeof Counter>(fixturePath('counter-server'), undefined);
    await another.stop();
    const supervisor = await Supervisor.start([workerChild('child', fixturePath('counter-server'), undefined)]);
    await supervisor.stop();
  });
});
