/**
 * The benchmark harness in its tiny configuration, so it cannot rot. Goals are printed by
 * `npm run bench`, never asserted here: a shared 2-core machine is too noisy for that.
 */
import { CONFIGS } from '../../dist/bench/config';
import { runBenchmarks } from '../../dist/bench/index';

it('measures every case and ratio, and renders the table and the JSON', async () => {
  const report = await runBenchmarks({ config: CONFIGS.tiny });
  const ids = report.cases.map((c) => c.id);
  // Latencies are measured on one core where `taskset` exists, else on fresh threads.
  for (const latency of ['call.raw', 'call.untraced', 'call.traced', 'call.sampled10', 'call.library', 'call.tail', 'comlink.bare', 'comlink.traced']) {
    expect(ids.some((id) => id === latency || id === `${latency} (one core)`)).toBe(true);
  }
  for (const id of [
    'call.untraced.pipelined', 'cast.raw', 'cast.untraced', 'cast.traced',
    'task.piscina', 'task.untraced', 'task.traced', 'task1ms.piscina', 'task1ms.traced', 'batch1ms.sequential', 'batch1ms.parallel',
    'batch10us.sequential', 'batch10us.parallel', 'spawn.worker', 'spawn.genserver', 'restart', 'memory.worker x2', 'memory.genserver x2',
    'export', 'export.lost', 'collector.healthy', 'collector.down', 'collector.slow',
    'call.library.pipelined', 'cast.library', 'task.library', 'spawn.worker (zero-code preload run)', 'spawn.genserver (zero-code preload)',
    'comlink.bare.pipelined', 'comlink.traced.pipelined', 'call.tail.pipelined', 'cast.tail',
    'nats.request (bare, to a node\'s main thread)', 'cluster.call (to a GenServer on another node)',
    'cluster.tasks1ms (1 node, 1 thread)', 'cluster.tasks1ms (2 nodes, 1 thread each)',
    'call.metrics.pipelined (started with a MeterProvider)', 'cast.metrics (started with a MeterProvider)',
    'cost: span: start and end a root (the caller\'s)', 'cost: encode: per span, 64 at a time', 'cost: export: OTLP/HTTP to the loopback collector, CPU per span',
  ]) {
    expect(ids).toContain(id);
  }
  for (const result of report.cases) {
    expect(Number.isFinite(result.median)).toBe(true);
    expect(result.min).toBeLessThanOrEqual(result.median);
    expect(result.median).toBeLessThanOrEqual(result.max);
  }
  expect(report.cases.find((c) => c.id.startsWith('call.raw'))?.p99).toBeGreaterThan(0);
  // Every span the workers ended reached the receiver process (a tiny, easy load).
  expect(report.cases.find((c) => c.id === 'export.lost')?.median).toBe(0);
  for (const ratio of report.ratios) {
    expect(ids).toEqual(expect.arrayContaining([ratio.of, ratio.to]));
    // Loss over generated is 0 when nothing is lost; every other ratio is positive.
    expect(ratio.value).toBeGreaterThanOrEqual(ratio.id === 'export lost / generated' ? 0 : Number.MIN_VALUE);
  }
  // The same-run comparisons the goals of tracing are read against.
  const ratioIds = report.ratios.map((ratio) => ratio.id);
  expect(ratioIds).toEqual(expect.arrayContaining(['cast.tail / head sampling', 'call.traced pipelined / comlink.bare', 'cluster.call p50 / nats.request', 'cluster.tasks1ms 2 nodes / 1 node']));
  expect(ratioIds.some((id) => /^call\.traced p50 \/ comlink\.bare/.test(id))).toBe(true);
  const json = report.toJSON();
  expect(json.env).toEqual(expect.objectContaining({ node: process.version, cpus: expect.any(Number) }));
  expect(report.toMarkdown()).toMatch(/\| call\.untraced p50 \/ raw \((one core|best placement)\) \| call\.untraced( \(one core\))? \/ call\.raw( \(one core\))? \| [\d.]+ \| <= 1\.15 \| (yes|no) \|/);
}, 120_000);
