/**
 * One trace across machines: a request on node a calls a process on node b, which calls
 * a process on node c, which runs a task there; then a pool task runs wherever a thread
 * is free. Each node exports its own spans over OTLP, with its node name on its resource;
 * read from a real OTLP receiver, they make one trace with no orphans.
 */
import { NatsServer } from '../../dist/tests/support/nats-server';
import { NodeProgram } from '../../dist/tests/support/cluster-node';
import { OtlpReceiver, type DecodedSpan } from '../../dist/tests/support/otlp-receiver';

let server: NatsServer;
let receiver: OtlpReceiver;
const programs: NodeProgram[] = [];

beforeAll(async () => {
  [server, receiver] = await Promise.all([NatsServer.start(), OtlpReceiver.start()]);
  const env = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
  programs.push(...(await Promise.all(['a', 'b', 'c'].map((name) => NodeProgram.start(name, server.url, 'traced', env)))));
  await Promise.all(programs.map((program) => program.waitForEvent((event) => event.type === 'nodeup' && program.events.filter((seen) => seen.type === 'nodeup').length >= 2)));
}, 60_000);

afterAll(async () => {
  await Promise.all(programs.map((program) => program.stop()));
  await Promise.all([server?.dispose(), receiver?.close()]);
}, 60_000);

const nodeOf = (span: DecodedSpan) => span.resource['worker_otp.node.name'];

it('makes one trace of a request that crosses three nodes, each span with its node', async () => {
  const [a, b, c] = programs as [NodeProgram, NodeProgram, NodeProgram];
  const answer = await a.request<{ relayed: { node: string }; pooled: { node: string } }>({ op: 'traced' });
  expect(answer.relayed.node).toBe('c');
  await Promise.all([c, b, a].map((program) => program.request({ op: 'flush' })));
  await receiver.waitFor((spans) => spans.some((span) => span.name === 'request'));
  const root = receiver.only('request');
  // Each node flushed before answering: all spans are in.
  const trace = receiver.spans.filter((span) => span.traceId === root.traceId);
  // Every span says which node recorded it, and all three nodes are in the trace.
  expect(trace.every((span) => ['a', 'b', 'c'].includes(nodeOf(span) as string))).toBe(true);
  expect(new Set(trace.map(nodeOf))).toEqual(new Set(['a', 'b', 'c']));
  // No orphans: every span's parent is in the trace; the request is the only root.
  const ids = new Set(trace.map((span) => span.spanId));
  expect(trace.filter((span) => span.parentSpanId === '')).toEqual([root]);
  expect(trace.filter((span) => span.parentSpanId !== '' && !ids.has(span.parentSpanId)).map((span) => span.name)).toEqual([]);
  // The hops between machines: a span on b whose parent is on a, one on c whose parent is on b.
  const byId = new Map(trace.map((span) => [span.spanId, span]));
  const crossings = trace.filter((span) => span.parentSpanId !== '' && nodeOf(byId.get(span.parentSpanId)!) !== nodeOf(span)).map((span) => `${nodeOf(byId.get(span.parentSpanId)!)}->${nodeOf(span)}`);
  expect(crossings).toEqual(expect.arrayContaining(['a->b', 'b->c']));
  // The task on c ran under c's relay process, and the pool task under the request.
  expect(trace.some((span) => nodeOf(span) === 'c' && span.name === 'work.run')).toBe(true);
  expect(trace.some((span) => span.name === 'work.submit' && nodeOf(span) === 'a' && span.attributes['worker_otp.node.name'] === 'a')).toBe(true);
});
