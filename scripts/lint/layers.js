/**
 * ESLint rule: imports between the library's folders point one way, bottom up, as the
 * README's Layout section shows. A module may import from its own folder and from folders
 * below it; `runtime/` and `workers/` (the two sides of a thread boundary) never import
 * each other. Type-only imports count: a type from above is a dependency on above.
 */
const { dirname, relative, resolve, sep } = require('node:path');

/** Folders from the bottom up; each may import only from folders with a lower rank. */
const LAYERS = {
  errors: 0,
  propagation: 1,
  protocol: 2,
  telemetry: 3,
  runtime: 4,
  workers: 4,
  supervisor: 5,
  cluster: 6,
  observer: 6,
};
/** The package's entry points sit above every folder. */
const ENTRY_POINTS = new Set(['index.ts']);
/** Files of a folder that are entry points of their own (they may gather from any folder below the root entry). */
const FOLDER_ENTRY_POINTS = new Set([`workers${sep}index.ts`, `workers${sep}thread-runtime.ts`]);

function layerOf(root, file) {
  const path = relative(root, file);
  if (ENTRY_POINTS.has(path)) return { folder: '.', rank: Infinity };
  const folder = path.split(sep)[0];
  return folder in LAYERS ? { folder, rank: LAYERS[folder] } : undefined;
}

module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'imports between folders point one way, bottom up' },
    schema: [],
    messages: {
      upward: '{{from}}/ may not import from {{to}}/: dependencies point from {{to}}/ down to {{from}}/, not up (see README, Layout)',
      sideways: '{{from}}/ and {{to}}/ are the two sides of a thread boundary and never import each other',
    },
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = layerOf(root, file);
    if (from === undefined || from.rank === Infinity) return {};
    const isFolderEntry = FOLDER_ENTRY_POINTS.has(relative(root, file));
    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = layerOf(root, resolve(dirname(file), source));
      if (to === undefined || to.folder === from.folder) return;
      if (isFolderEntry && to.rank < from.rank) return;
      if (to.rank > from.rank) context.report({ node, messageId: 'upward', data: { from: from.folder, to: to.folder } });
      else if (to.rank === from.rank) context.report({ node, messageId: 'sideways', data: { from: from.folder, to: to.folder } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
