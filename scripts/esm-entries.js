/**
 * Build step: the ES module entry points. worker-otp is one CommonJS build; its ES module
 * entries re-export it by name, so an application that both imports and requires it (or
 * whose threads do) shares one instance: one process table, one telemetry (no dual-package
 * hazard). Node would find most names of the CommonJS build by itself; these files make
 * each one explicit, for every tool.
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const DIST = join(__dirname, '..', 'dist');
const ENTRIES = [
  { name: 'index', from: '../index.js' },
  { name: 'workers', from: '../workers/index.js' },
  { name: 'cluster', from: '../cluster/index.js' },
];

mkdirSync(join(DIST, 'esm'), { recursive: true });
for (const { name, from } of ENTRIES) {
  const names = Object.keys(require(join(DIST, 'esm', from))).filter((key) => key !== '__esModule' && key !== 'default');
  const body = `import entry from '${from}';\n\nexport const {\n${names.map((key) => `  ${key},`).join('\n')}\n} = entry;\n`;
  writeFileSync(join(DIST, 'esm', `${name}.mjs`), `// The ES module entry of worker-otp (${name}); see scripts/esm-entries.js.\n${body}`);
  writeFileSync(join(DIST, 'esm', `${name}.d.mts`), `export * from '${from}';\n`);
}
