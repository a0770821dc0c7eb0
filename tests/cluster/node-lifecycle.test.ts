/**
 * A node's life and what it refuses: bad options and names, a taken node name, no server;
 * junk on its subjects; a node killed and started again under the same name (its old
 * incarnation's names freed, the new one registering them again); a closed pool.
 */
import { call, startGenServer, type TaskRef } from '../../dist';
import { fixturePath } from '../../dist/tests/support/fixtures';
import { DEFAULT_DOWN_AFTER_MS, startNode, type ClusterNode } from '../../dist/cluster';
import { NatsServer } from '../../dist/tests/support/nats-server';
import { NodeProgram, nextNodeEvent } from '../../dist/tests/support/cluster-node';

const CLUSTER = 'lifecycle';
let server: NatsServer;
let tester: ClusterNode;
const programs: NodeProgram[] = [];


beforeAll(async () => {
  server = await NatsServer.start();
}, 60_000);

afterAll(async () => {
  await tester?.stop();
  await Promise.all(programs.map((program) => program.stop()));
  await server?.dispose();
}, 60_000);

it('refuses bad options with a typed error naming the field, and a server that is not there', async () => {
  await expect(startNode({ name: 'no spaces', servers: server.url })).rejects.toMatchObject({ name: 'ClusterError', code: 'ERR_CLUSTER_NAME', message: expect.stringContaining('options.name') });
  await expect(startNode({ name: 'a', servers: server.url, cluster: 'a.b' })).rejects.toMatchObject({ code: 'ERR_CLUSTER_NAME' });
  await expect(startNode({ name: 'a', servers: server.url, heartbeatMs: 1000, downAfterMs: 500 })).rejects.toThrow(RangeError);
  await expect(startNode(undefined as never)).rejects.toThrow(TypeError);
  // Nothing listens on the server's port + 1 (ephemeral ports are far apart; checked by the failure's code).
  await expect(startNode({ name: 'a', servers: `127.0.0.1:${server.port + 1}` })).rejects.toMatchObject({ code: 'ERR_NODE_CONNECT', message: expect.stringContaining('start nats-server') });
  expect(DEFAULT_DOWN_AFTER_MS).toBe(3000);
});

it('refuses a second node of the same name while the first runs', async () => {
  const [first] = [await NodeProgram.start('twin', server.url, CLUSTER)];
  programs.push(first!);
  await expect(startNode({ name: 'twin', servers: server.url, cluster: CLUSTER })).rejects.toMatchObject({ code: 'ERR_NODE_NAME_TAKEN' });
  // The same name in another cluster is another node.
  const other = await startNode({ name: 'twin', servers: server.url, cluster: 'elsewhere' });
  await other.stop();
});

it('stays up through junk on its subjects', async () => {
  tester = await startNode({ name: 'tester', servers: server.url, cluster: CLUSTER, heartbeatMs: 250, downAfterMs: 1000 });
  const junk = new Uint8Array([0xff, 0x00, 0x13, 0x37]);
  for (const subject of [`worker-otp.${CLUSTER}.node.twin.processes`, `worker-otp.${CLUSTER}.heartbeat`, `worker-otp.${CLUSTER}.leave`, `worker-otp.${CLUSTER}.pool.work.work`]) {
    tester.connection.publish(subject, junk);
    tester.connection.publish(subject, 'not json {');
  }
  await tester.connection.flush();
  await expect(call({ name: 'relay', node: 'twin' }, { type: 'whoami' })).resolves.toBe('twin');
  expect(tester.nodes()).toContain('twin');
});

it('tells a node killed and started again under its name as restarted, and frees the old incarnation\'s names', async () => {
  const first = await NodeProgram.start('phoenix', server.url, CLUSTER, { WOTP_HEARTBEAT_MS: '250', WOTP_DOWN_AFTER_MS: '60000' });
  await first.request({ op: 'registerGlobal', name: 'phoenix_relay' });
  await expect(call({ global: 'phoenix_relay' }, { type: 'whoami' })).resolves.toBe('phoenix');
  const restarted = nextNodeEvent(tester, (event) => event.type === 'nodedown' && event.node === 'phoenix');
  await first.kill();
  // Started again before anyone sees the first one down (it is not heard from for 1 s only then).
  const second = await NodeProgram.start('phoenix', server.url, CLUSTER);
  programs.push(second);
  await expect(restarted).resolves.toMatchObject({ reason: expect.stringMatching(/^(restarted|timeout)$/) });
  // The old incarnation's name is free: the new one registers it again, and calls reach it.
  await expect(second.request({ op: 'registerGlobal', name: 'phoenix_relay' })).resolves.toBeUndefined();
  await expect(call({ global: 'phoenix_relay' }, { type: 'whoami' })).resolves.toBe('phoenix');
});

it('fails the tasks of a pool closed here with ERR_POOL_CLOSED, and refuses new ones', async () => {
  const pool = await tester.taskPool('nobody_serves');
  const never = { module: __filename, export: 'never' } as TaskRef<() => void>;
  const task = pool.async(never);
  await pool.close();
  await expect(task.await(5000)).rejects.toMatchObject({ name: 'ClusterError', code: 'ERR_POOL_CLOSED' });
  expect(() => pool.async(never)).toThrow(expect.objectContaining({ code: 'ERR_POOL_CLOSED' }));
});

it('runs on a server without JetStream, saying what needs it: cluster-wide names and durable pools', async () => {
  // A program is one node: this one leaves its cluster first.
  await tester.stop();
  const plain = await NatsServer.start({ jetStream: false });
  let node: ClusterNode | undefined;
  const server = await startGenServer(fixturePath('edge-server'), {}, { name: 'plain_one' });
  try {
    node = await startNode({ name: 'no_js', servers: plain.url, cluster: 'plain' });
    await expect(node.registerGlobal('anything', 'plain_one')).rejects.toMatchObject({ code: 'ERR_JETSTREAM_UNAVAILABLE', message: expect.stringContaining('run nats-server with -js') });
    await expect(node.taskPool('durable_here', { durable: true })).rejects.toMatchObject({ code: 'ERR_JETSTREAM_UNAVAILABLE' });
    // Calls by name, and pools that are not durable, need no JetStream.
    await expect(call({ name: 'plain_one', node: 'no_js' }, { type: 'echo', value: 'fine' })).resolves.toBe('fine');
    await expect(call({ global: 'anything' }, { type: 'echo', value: 1 })).rejects.toMatchObject({ code: 'ERR_NO_PROCESS' });
  } finally {
    await server.stop();
    await node?.stop();
    await plain.dispose();
  }
});
