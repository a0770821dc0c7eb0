/** Pids and registered names: what a pid or a name stands for, and when a name is free again. */
import { NoProcessError } from '../../dist';
import type { ProcessRecord } from '../../dist/runtime/process-record';
import { ProcessRegistry } from '../../dist/runtime/process-registry';

/** The fields the registry reads; the rest of a record belongs to the process table. */
function record(pid: number, name?: string): ProcessRecord {
  return { pid, name, exitReason: undefined } as ProcessRecord;
}

it('hands out increasing pids', () => {
  const registry = new ProcessRegistry();
  const first = registry.allocatePid();
  expect([registry.allocatePid(), registry.allocatePid()]).toEqual([first + 1, first + 2]);
});

it('resolves a process by pid number, by { pid } and by name', () => {
  const registry = new ProcessRegistry();
  const cache = record(registry.allocatePid(), 'cache');
  registry.add(cache);
  expect(registry.resolve(cache.pid)).toBe(cache);
  expect(registry.resolve({ pid: cache.pid })).toBe(cache);
  expect(registry.resolve('cache')).toBe(cache);
  expect(registry.whereis('cache')).toBe(cache.pid);
});

it('does not resolve an exiting process, except for whoever asks for exiting ones too', () => {
  const registry = new ProcessRegistry();
  const cache = record(registry.allocatePid(), 'cache');
  registry.add(cache);
  cache.exitReason = { type: 'normal' };
  expect(registry.resolve(cache.pid)).toBeUndefined();
  expect(() => registry.require(cache.pid)).toThrow(NoProcessError);
  expect(registry.require(cache.pid, { exiting: true })).toBe(cache);
});

it('frees a name for a successor while the old holder is still ending, and never takes it from the successor', () => {
  const registry = new ProcessRegistry();
  const old = record(registry.allocatePid(), 'cache');
  registry.add(old);
  registry.releaseName(old);
  expect(registry.whereis('cache')).toBeUndefined();
  const successor = record(registry.allocatePid(), 'cache');
  registry.add(successor);
  registry.remove(old);
  expect(registry.whereis('cache')).toBe(successor.pid);
  expect(registry.get(old.pid)).toBeUndefined();
});

it('names the target it could not find', () => {
  const registry = new ProcessRegistry();
  expect(() => registry.require('nobody')).toThrow(/no process nobody is running/);
  expect(() => registry.require(41)).toThrow(/no process <0\.41> is running/);
  expect(() => registry.require({ pid: 42 })).toThrow(/no process <0\.42> is running/);
});
