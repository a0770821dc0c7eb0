/**
 * Seeded chaos: real faults in real threads under load, then the invariants — everything
 * settled with a typed answer, every restart accounted for, every trace connected, nothing
 * left running, no unhandled rejection.
 */
import { processFaultsOf, runChaos } from '../../dist/tests/support/chaos';

it('survives injected faults with nothing lost', async () => {
  const before = new Set(process.getActiveResourcesInfo());
  const report = await runChaos({ seed: 20261127, processFaults: 16, taskFaults: 4, callers: 8, tailMs: 500 });

  const processFaults = processFaultsOf(report);
  expect(processFaults).toBe(16);
  expect(Object.keys(report.faults).sort()).toEqual([
    'SIGTERM to a busy app',
    'allocate',
    'exit',
    'kill',
    'parked call',
    'pool shutdown on hung tasks',
    'starts under a stalled main thread',
    'task exit',
    'throw',
    'throw_undefined',
  ]);
  expect(report.faults['task exit']).toBe(4);
  expect(report.deadStarts).toBe(0);
  expect(report.unendedShutdowns).toBe(0);
  expect(report.signalRoundFailures).toEqual([]);
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
