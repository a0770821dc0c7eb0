/**
 * Calls, casts and messages between nodes on a real nats-server: node programs in child
 * processes of their own, and this test process as a node too. Errors are the local ones:
 * no such name is NoProcessError at once, a node that dies mid-call fails the call with
 * reason noconnection, timeouts are CallTimeoutError.
 */
import { CallTimeoutError, ClusterError, NameAlreadyRegisteredError, NoProcessError, PayloadNotCloneableError, ProcessExitError, call, cast } from '../../dist';
import { startNode, type ClusterNode, type NodeEvent } from '../../dist/cluster';
import { NatsServer } from '../../dist/tests/support/nats-server';
import { NodeProgram, nextNodeEvent, type NodeRequestError } from '../../dist/tests/support/cluster-node';
import type { RelayCall } from '../../dist/tests/fixtures/cluster/relay-server';

const CLUSTER = 'calls';
/** Heartbeats every 250 ms, down after 1000 ms of silence (the node programs use the same). */
const TIMING = { heartbeatMs: 250, downAfterMs: 1000 };

let server: NatsServer;
let a: NodeProgram;
let b: NodeProgram;
let tester: ClusterNode;
const events: NodeEvent[] = [];
const started: NodeProgram[] = [];


beforeAll(async () => {
  server = await NatsServer.start();
  [a, b] = await Promise.all([NodeProgram.start('a', server.url, CLUSTER), NodeProgram.start('b', server.url, CLUSTER)]);
  started.push(a, b);
}, 60_000);

afterAll(async () => {
  await tester?.stop();
  await Promise.all(started.map((program) => program.stop()));
  await server?.dispose();
}, 60_000);

it('refuses a call to another node before this program is a node, saying how to become one', async () => {
  await expect(call({ name: 'relay', node: 'a' }, { type: 'whoami' })).rejects.toMatchObject({ code: 'ERR_NOT_A_NODE' });
  expect(() => cast({ global: 'leader' }, {})).toThrow(ClusterError);
});

it('joins the cluster and sees the other nodes come up', async () => {
  tester = await startNode({ name: 'tester', servers: server.url, cluster: CLUSTER, ...TIMING });
  tester.monitorNodes((event) => events.push(event));
  // A starting node asks the others to beat at once: it knows them within a round trip.
  await Promise.all(['a', 'b'].filter((node) => !tester.nodes().includes(node)).map((node) => nextNodeEvent(tester, (event) => event.node === node)));
  expect(tester.nodes()).toEqual(['a', 'b']);
  await expect(startNode({ name: 'again', servers: server.url, cluster: CLUSTER })).rejects.toMatchObject({ code: 'ERR_ALREADY_A_NODE' });
});

it('calls a process on another node by { name, node }', async () => {
  await expect(call<string>({ name: 'relay', node: 'a' }, { type: 'whoami' } satisfies RelayCall)).resolves.toBe('a');
  await expect(call<string>({ name: 'relay', node: 'b' }, { type: 'whoami' } satisfies RelayCall)).resolves.toBe('b');
});

it('rejects a call to a missing name or node with NoProcessError at once, not after the timeout', async () => {
  const options = { timeoutMs: 30_000 };
  await expect(call({ name: 'nobody', node: 'a' }, { type: 'whoami' }, options)).rejects.toThrow(new NoProcessError('nobody@a'));
  await expect(call({ name: 'relay', node: 'nowhere' }, { type: 'whoami' }, options)).rejects.toThrow(new NoProcessError('relay@nowhere'));
  await expect(call({ global: 'unregistered' }, { type: 'whoami' }, options)).rejects.toThrow(new NoProcessError('global:unregistered'));
});

it('delivers casts from one sender in the order they were sent, before a later call', async () => {
  const target = { name: 'relay', node: 'b' };
  for (let value = 0; value < 500; value++) cast(target, { type: 'append', value });
  const values = await call<number[]>(target, { type: 'values' } satisfies RelayCall);
  expect(values.slice(-500)).toEqual(Array.from({ length: 500 }, (_, value) => value));
});

it('calls across nodes from inside a process, through its node', async () => {
  const request: RelayCall = { type: 'relay', target: { name: 'relay', node: 'b' }, request: { type: 'whoami' } };
  await expect(call({ name: 'relay', node: 'a' }, request)).resolves.toBe('b');
  const missing: RelayCall = { type: 'relay', target: { name: 'nobody', node: 'b' }, request: { type: 'whoami' } };
  await expect(call({ name: 'relay', node: 'a' }, missing)).resolves.toMatchObject({ failed: { name: 'NoProcessError', code: 'ERR_NO_PROCESS', message: expect.stringContaining('nobody@b') } });
});

it('times a call out as locally: CallTimeoutError after timeoutMs, and the callee goes on', async () => {
  await expect(call({ name: 'relay', node: 'a' }, { type: 'sleep', ms: 1500 } satisfies RelayCall, { timeoutMs: 200 })).rejects.toThrow(CallTimeoutError);
  await expect(call({ name: 'relay', node: 'a' }, { type: 'whoami' } satisfies RelayCall)).resolves.toBe('a');
});

it('refuses a payload that cannot be serialized at once, sending nothing', async () => {
  await expect(call({ name: 'relay', node: 'a' }, { type: 'echo', fn: () => 1 })).rejects.toThrow(PayloadNotCloneableError);
  expect(() => cast({ name: 'relay', node: 'a' }, { type: 'append', value: Symbol('no') })).toThrow(PayloadNotCloneableError);
});

it('refuses a request or a cast past what a NATS message carries, and turns a reply past it into the error', async () => {
  const tooBig = new Uint8Array(2 * 1024 * 1024);
  await expect(call({ name: 'relay', node: 'a' }, { type: 'echo', tooBig })).rejects.toMatchObject({ name: 'ClusterError', code: 'ERR_PAYLOAD_TOO_LARGE' });
  expect(() => cast({ name: 'relay', node: 'a' }, { type: 'append', value: tooBig })).toThrow(expect.objectContaining({ code: 'ERR_PAYLOAD_TOO_LARGE' }));
  await expect(call({ name: 'relay', node: 'a' }, { type: 'big', bytes: 2 * 1024 * 1024 } satisfies RelayCall)).rejects.toMatchObject({
    code: 'ERR_PAYLOAD_TOO_LARGE',
    message: expect.stringContaining('reply'),
  });
  // Within the limit, bytes cross as they are.
  await expect(call<Uint8Array>({ name: 'relay', node: 'a' }, { type: 'big', bytes: 512 * 1024 } satisfies RelayCall)).resolves.toHaveLength(512 * 1024);
});

it('registers a cluster-wide name: first wins, reachable from every node, freed when its process exits', async () => {
  await a.request({ op: 'registerGlobal', name: 'leader' });
  await expect(call({ global: 'leader' }, { type: 'whoami' } satisfies RelayCall)).resolves.toBe('a');
  await expect(b.request({ op: 'call', target: { global: 'leader' }, request: { type: 'whoami' } })).resolves.toBe('a');
  const taken = await b.request({ op: 'registerGlobal', name: 'leader' }).catch((error: NodeRequestError) => error);
  expect(taken).toMatchObject({ name: 'NameAlreadyRegisteredError', code: 'ERR_NAME_TAKEN', node: 'a' });
  expect(tester.whereisGlobal('leader')).toMatchObject({ node: 'a' });

  await a.request({ op: 'killRelay' });
  // The holder exited: its node freed the name, so the next registration wins.
  await expect(b.request({ op: 'registerGlobal', name: 'leader' })).resolves.toBeUndefined();
  await expect(call({ global: 'leader' }, { type: 'whoami' } satisfies RelayCall)).resolves.toBe('b');
  await expect(tester.registerGlobal('leader', 'nothing-here')).rejects.toThrow(NoProcessError);
  await expect(a.request({ op: 'registerGlobal', name: 'leader' })).rejects.toMatchObject({ name: NameAlreadyRegisteredError.name, node: 'b' });
});

it('registers a cluster-wide name from inside a process, which every node then reaches', async () => {
  await expect(call({ name: 'relay', node: 'b' }, { type: 'registerGlobal', name: 'from_process' } satisfies RelayCall)).resolves.toBe('ok');
  await expect(call({ global: 'from_process' }, { type: 'whoami' } satisfies RelayCall)).resolves.toBe('b');
  await expect(call({ name: 'relay', node: 'a' }, { type: 'whereisGlobal', name: 'from_process' } satisfies RelayCall)).resolves.toMatchObject({ node: 'b' });
  await expect(call({ name: 'relay', node: 'a' }, { type: 'registerGlobal', name: 'from_process' } satisfies RelayCall)).resolves.toEqual({
    failed: { name: 'NameAlreadyRegisteredError', code: 'ERR_NAME_TAKEN', node: 'b' },
  });
});

it('fails a call in flight when its node dies (kill -9): ProcessExitError, reason noconnection, as soon as nodedown comes', async () => {
  const victim = await NodeProgram.start('victim', server.url, CLUSTER);
  started.push(victim);
  await b.waitForEvent((event) => event.type === 'nodeup' && event.node === 'victim');
  const inFlight = call({ name: 'relay', node: 'victim' }, { type: 'sleep', ms: 60_000 } satisfies RelayCall, { timeoutMs: 60_000 }).catch((error: unknown) => error);
  // From inside a process on b too.
  const fromProcess = b
    .request({ op: 'call', target: 'relay', request: { type: 'relay', target: { name: 'relay', node: 'victim' }, request: { type: 'sleep', ms: 60_000 }, timeoutMs: 60_000 } })
    .catch((error: unknown) => error);
  // Both calls reached the victim: a call to it answers only after them (one mailbox).
  await expect(call({ name: 'relay', node: 'victim' }, { type: 'whoami' }, { timeoutMs: 500 })).rejects.toThrow(CallTimeoutError);
  const killedAt = performance.now();
  await victim.kill();

  const error = await inFlight;
  const failedAfterMs = performance.now() - killedAt;
  expect(error).toBeInstanceOf(ProcessExitError);
  expect(error).toMatchObject({ reason: { type: 'noconnection', node: 'victim' } });
  expect((error as Error).message).toContain('noconnection: node victim is down');
  await expect(fromProcess).resolves.toMatchObject({ failed: { name: 'ProcessExitError', reason: { type: 'noconnection', node: 'victim' } } });
  // nodedown within the bound (downAfterMs + one heartbeat), with a wide margin for a loaded machine.
  const down = events.find((event) => event.type === 'nodedown' && event.node === 'victim');
  expect(down).toEqual({ type: 'nodedown', node: 'victim', reason: 'timeout' });
  expect(failedAfterMs).toBeLessThan(TIMING.downAfterMs + TIMING.heartbeatMs + 3000);
  expect(tester.nodes()).toEqual(['a', 'b']);
});

it('says at once when a node leaves cleanly (nodedown, reason left)', async () => {
  const up = nextNodeEvent(tester, (event) => event.node === 'leaving');
  const leaving = await NodeProgram.start('leaving', server.url, CLUSTER);
  await expect(up).resolves.toEqual({ type: 'nodeup', node: 'leaving' });
  const down = nextNodeEvent(tester, (event) => event.node === 'leaving');
  await leaving.stop();
  // Well before a silent node would be taken for down.
  await expect(down).resolves.toEqual({ type: 'nodedown', node: 'leaving', reason: 'left' });
  await expect(a.waitForEvent((event) => event.type === 'nodedown' && event.node === 'leaving')).resolves.toMatchObject({ reason: 'left' });
});
