/**
 * The live view's page: one self-contained HTML document (no CDN, no request but to the
 * server that served it), which follows the system through server-sent events. Data is
 * put into the page as text, never as markup: a process name cannot inject anything.
 */

/** The page, its inline script and style allowed by `nonce` (the Content-Security-Policy names it). */
export function livePage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>worker-otp observer</title>
<style nonce="${nonce}">
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
  header { display: flex; gap: 1rem; align-items: baseline; padding: .75rem 1rem; background: #1d2330; color: #fff; }
  header h1 { font-size: 1rem; margin: 0; }
  #status { font-size: .85rem; opacity: .8; }
  main { display: grid; grid-template-columns: minmax(18rem, 1fr) 2fr; gap: 1rem; padding: 1rem; }
  section { background: #fff; border-radius: 6px; padding: .75rem 1rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); overflow: auto; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: .95rem; margin: 0 0 .5rem; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #eceef2; }
  th { font-weight: 600; color: #5a6275; }
  ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 1.1rem; }
  ul.tree { padding-left: 0; }
  .sup { font-weight: 600; }
  .muted { color: #7a8294; }
  .bad { color: #b42318; }
  .restart { color: #9a6700; }
  #feed { list-style: none; margin: 0; padding: 0; }
  #feed li { padding: .2rem 0; border-bottom: 1px solid #eceef2; }
  code { font-size: .85em; }
</style>
</head>
<body>
<header><h1>worker-otp observer</h1><span id="status">connecting…</span><span id="main"></span><span id="updated" class="muted"></span></header>
<main>
  <section><h2>Supervision trees</h2><ul id="trees" class="tree"></ul></section>
  <section><h2>Processes</h2>
    <table id="processes"><thead><tr><th>pid</th><th>name</th><th>module</th><th>mailbox</th><th>busy</th><th>heap</th><th>restarts</th></tr></thead><tbody></tbody></table>
  </section>
  <section><h2>Task pools</h2>
    <table id="pools"><thead><tr><th>pool</th><th>queued</th><th>running</th><th>busy threads</th></tr></thead><tbody></tbody></table>
  </section>
  <section><h2>Exits and restarts</h2><ul id="feed"></ul></section>
</main>
<script nonce="${nonce}">
'use strict';
const token = new URLSearchParams(location.search).get('token') || '';
const $ = (selector) => document.querySelector(selector);
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}
function row(cells, attributes) {
  const tr = document.createElement('tr');
  for (const [key, value] of Object.entries(attributes || {})) tr.setAttribute(key, value);
  for (const cell of cells) tr.appendChild(el('td', cell));
  return tr;
}
const percent = (share) => (share * 100).toFixed(0) + ' %';
const megabytes = (bytes) => (bytes === null ? '–' : (bytes / 1048576).toFixed(1) + ' MB');
const time = (at) => new Date(at).toLocaleTimeString();
function tree(view) {
  const item = el('li');
  item.appendChild(el('span', view.name, 'sup'));
  item.appendChild(el('span', ' ' + view.strategy + ' <0.' + view.pid + '>', 'muted'));
  const children = el('ul');
  for (const child of view.children) {
    const li = el('li');
    li.setAttribute('data-child', child.id);
    if (child.supervisor) li.appendChild(tree(child.supervisor));
    else {
      const state = child.restarting ? 'restarting' : child.pid === null ? 'not running' : '<0.' + child.pid + '>';
      li.appendChild(el('span', child.id + ' '));
      li.appendChild(el('span', state, child.pid === null ? 'bad' : 'muted'));
    }
    if (child.restarts > 0) li.appendChild(el('span', ' ↻' + child.restarts, 'restart'));
    children.appendChild(li);
  }
  item.appendChild(children);
  return item;
}
function render(snapshot) {
  $('#updated').textContent = 'updated ' + time(snapshot.at);
  $('#main').textContent = 'main thread ' + percent(snapshot.main.busy) + ' busy, ' + megabytes(snapshot.main.heapUsed);
  const trees = $('#trees');
  trees.replaceChildren(...snapshot.trees.map(tree));
  if (snapshot.trees.length === 0) trees.appendChild(el('li', 'no supervisor running', 'muted'));
  $('#processes tbody').replaceChildren(...snapshot.processes.map((p) =>
    row(['<0.' + p.pid + '>', p.name === null ? '–' : p.name, p.module, p.mailbox === null ? '–' : p.mailbox, percent(p.busy), megabytes(p.heapUsed), p.restarts === null ? '–' : p.restarts], { 'data-pid': String(p.pid), 'data-label': p.label })));
  $('#pools tbody').replaceChildren(...snapshot.pools.map((pool) =>
    row([pool.name, pool.queued, pool.running, pool.busy + ' / ' + pool.threads + ' (max ' + pool.maxThreads + ')'], { 'data-pool': pool.name })));
  $('#feed').replaceChildren(...snapshot.events.map((event) => {
    const li = el('li');
    li.setAttribute('data-kind', event.kind);
    li.appendChild(el('span', time(event.at) + ' ', 'muted'));
    if (event.kind === 'exit') {
      li.setAttribute('data-pid', String(event.pid));
      li.appendChild(el('span', event.label + ' <0.' + event.pid + '> exited: ' + event.reason, event.abnormal ? 'bad' : ''));
      if (event.traceId) { li.appendChild(el('span', ' trace ', 'muted')); li.appendChild(el('code', event.traceId)); }
    } else {
      li.appendChild(el('span', event.supervisor + ' restarted ' + event.childId + ' (' + event.reason + ')' + (event.newPid === null ? '' : ' as <0.' + event.newPid + '>'), 'restart'));
    }
    return li;
  }));
}
const source = new EventSource('events?token=' + encodeURIComponent(token));
source.addEventListener('snapshot', (message) => { $('#status').textContent = 'live'; render(JSON.parse(message.data)); });
source.addEventListener('error', () => { $('#status').textContent = 'disconnected; retrying…'; });
</script>
</body>
</html>
`;
}
