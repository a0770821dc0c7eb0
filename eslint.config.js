/**
 * Lint: typescript-eslint's recommended rules, plus the layout's own two rules (imports
 * between folders point one way; no import cycles, type-only imports included). Part of
 * `npm test`; it never edits sources.
 */
const tseslint = require('typescript-eslint');
const layers = require('./scripts/lint/layers');
const importCycles = require('./scripts/lint/import-cycles');

module.exports = tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'tests/consumers/projects/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'worker-otp': { rules: { layers, 'import-cycles': importCycles } } },
    rules: {
      'worker-otp/layers': 'error',
      'worker-otp/import-cycles': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-duplicate-imports': 'off',
    },
  },
  {
    // Code that runs in worker threads takes the OpenTelemetry API from propagation/opentelemetry.ts:
    // a thread that loads the package itself pays ~10 ms of its start (types are free).
    files: ['errors/**', 'propagation/**', 'protocol/**', 'telemetry/record/**', 'telemetry/relay/**', 'telemetry/export/otlp-encoder.ts', 'workers/**'],
    ignores: ['propagation/opentelemetry.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@opentelemetry/api', message: 'import it from propagation/opentelemetry.ts (threads load a bundled copy)', allowTypeImports: true },
            { name: '@opentelemetry/context-async-hooks', message: 'import it from propagation/opentelemetry.ts', allowTypeImports: true },
            { name: '@opentelemetry/core', message: 'worker threads do not load the SDK', allowTypeImports: true },
            { name: '@opentelemetry/sdk-trace-base', message: 'worker threads do not load the SDK', allowTypeImports: true },
            { name: '@opentelemetry/resources', message: 'worker threads do not load the SDK', allowTypeImports: true },
          ],
        },
      ],
    },
  },
);
