/**
 * Seeded chaos: real faults in real threads under load, then the invariants — everything
 * settled with a typed answer, every restart accounted for, every trace connected, nothing
 * left running, no unhandled rejection.
 */
import { runChaos } from '../../dist/tests/support/chaos';

it('survives injected faults with nothing lost', async () => {
  const before = new Set(process.getActiveResourcesInfo());
  const report = await runChaos({ seed: 20261127, processFaults: 16, taskFaults: 4, callers: 8, tailMs: 500 });

  const processFaults = Object.entries(report.faults).filter(([kind]) => kind !== 'task exit').reduce((sum, [, count]) => sum + count, 0);
  expect(processFaults).toBe(16);
  expect(Object.keys(report.faults).sort()).toEqual(['allocate', 'exit', 'kill', 'task exit', 'throw']);
  expect(report.faults['task exit']).toBe(4);
  expect(report.callsSettled).toBe(report.callsMade);
  expect(report.callsMade).toBeGreaterThan(100);
  expect(report.untypedRejections).toEqual([]);
  expect(report.restartsObserved).toBe(processFaults);
  expect(report.orphanSpans).toEqual([]);
  expect(report.spansExported).toBeGreaterThan(report.callsOk);
  expect(report.unhandledRejections).toEqual([]);
  expect(report.supervisorExit).toBe('normal');
  const remaining = process.getActiveResourcesInfo().filter((resource) => !before.has(resource));
  expect(remaining).toEqual([]);
}, 60_000);
