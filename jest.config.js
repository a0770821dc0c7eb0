/**
 * Tests are TypeScript run by ts-jest, but everything they exercise is the compiled
 * output in dist/: worker threads on Node 20 can only load JavaScript, and the main
 * thread must load the very same modules the workers do. `npm test` builds first.
 * Type checking of the tests is done by `tsc -p tsconfig.test.json` (whose
 * isolatedModules makes ts-jest only transpile).
 *
 * `npm test` runs jest under --experimental-vm-modules: the OTLP exporter loads `http`
 * with a dynamic import(), which jest's module sandbox refuses without it.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
