/**
 * ESLint rule: no import cycles among the project's TypeScript sources, type-only imports
 * included (eslint-plugin-import's no-cycle skips those). The import graph of every source
 * file is read once per lint run with TypeScript's own pre-processor; a file whose imports
 * lead back to it is reported at each import that enters its cycle.
 */
const { readFileSync, readdirSync, statSync, existsSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');
const ts = require('typescript');

const SKIP = new Set(['node_modules', 'dist', '.git', 'coverage']);

function sourceFiles(directory, into = []) {
  for (const name of readdirSync(directory)) {
    if (SKIP.has(name)) continue;
    const path = join(directory, name);
    if (statSync(path).isDirectory()) sourceFiles(path, into);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) into.push(path);
  }
  return into;
}

function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Strongly connected components of the graph (Tarjan), as a map from file to its component. */
function components(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const component = new Map();
  let counter = 0;
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
    }
    if (low.get(node) === index.get(node)) {
      const members = new Set();
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        members.add(member);
      } while (member !== node);
      for (const each of members) component.set(each, members);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return component;
}

const cache = new Map();

function cyclesUnder(root) {
  let found = cache.get(root);
  if (found === undefined) {
    const graph = new Map();
    for (const file of sourceFiles(root)) {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      graph.set(file, new Set(importedFiles.map(({ fileName }) => resolveImport(file, fileName)).filter(Boolean)));
    }
    found = { graph, component: components(graph) };
    cache.set(root, found);
  }
  return found;
}

module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'no import cycles, type-only imports included' },
    schema: [],
    messages: { cycle: 'this import is part of an import cycle ({{members}}); break it (see README, Layout)' },
  },
  create(context) {
    const { graph, component } = cyclesUnder(context.cwd);
    const file = context.filename;
    const members = component.get(file);
    const inCycle = members && (members.size > 1 || graph.get(file)?.has(file));
    if (!inCycle) return {};
    const names = [...members].map((member) => member.slice(context.cwd.length + 1)).join(' -> ');
    function check(node, source) {
      const target = typeof source === 'string' ? resolveImport(file, source) : undefined;
      if (target && members.has(target)) context.report({ node, messageId: 'cycle', data: { members: names } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
    };
  },
};
