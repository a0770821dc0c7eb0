import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { FinishedSpan as ReadableSpan } from '../../index';

const STATUS_ERROR = 2;
const ROW_HEIGHT = 22;

/** One span as the page shows it; times in ms from the start of its trace. */
interface ViewSpan {
  id: string;
  parent: string;
  name: string;
  thread: string;
  start: number;
  duration: number;
  error: boolean;
  status: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; at: number; attributes: Record<string, unknown> }>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

/** Lays spans into rows so that no two in a row overlap (children stack under parents). */
function assignRows(spans: ViewSpan[]): Map<string, number> {
  const rowEnds: number[] = [];
  const rows = new Map<string, number>();
  for (const span of [...spans].sort((a, b) => a.start - b.start || b.duration - a.duration)) {
    let row = rowEnds.findIndex((end) => end <= span.start);
    if (row < 0) row = rowEnds.push(0) - 1;
    rowEnds[row] = span.start + span.duration;
    rows.set(span.id, row);
  }
  return rows;
}

function traceSection(traceId: string, spans: ReadableSpan[]): { html: string; views: ViewSpan[] } {
  const origin = Math.min(...spans.map((span) => hrTimeToMilliseconds(span.startTime)));
  const views: ViewSpan[] = spans.map((span) => ({
    id: span.spanContext().spanId,
    parent: span.parentSpanContext?.spanId ?? '',
    name: span.name,
    thread: String(span.attributes['thread.name'] ?? 'unknown'),
    start: hrTimeToMilliseconds(span.startTime) - origin,
    duration: hrTimeToMilliseconds(span.duration),
    error: span.status.code === STATUS_ERROR,
    status: span.status.message ?? '',
    kind: span.kind,
    attributes: { ...span.attributes },
    events: span.events.map((event) => ({ name: event.name, at: hrTimeToMilliseconds(event.time) - origin, attributes: { ...(event.attributes ?? {}) } })),
  }));
  const total = Math.max(...views.map((view) => view.start + view.duration), 0.001);
  const root = views.find((view) => !views.some((other) => other.id === view.parent)) ?? views[0]!;
  const threads = [...new Set(views.map((view) => view.thread))].sort((a, b) => (a === 'main' ? -1 : b === 'main' ? 1 : 0));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => `<span style="left:${fraction * 100}%">${(fraction * total).toFixed(fraction === 0 ? 0 : 1)} ms</span>`).join('');
  const lanes = threads.map((thread) => {
    const laneSpans = views.filter((view) => view.thread === thread);
    const rows = assignRows(laneSpans);
    const height = (Math.max(...rows.values()) + 1) * ROW_HEIGHT;
    const bars = laneSpans
      .map((view) => {
        const left = (view.start / total) * 100;
        const width = Math.max((view.duration / total) * 100, 0.4);
        const label = `${view.name} ${view.duration.toFixed(2)} ms`;
        return `<div class="bar${view.error ? ' error' : ''}" data-span-id="${view.id}" title="${escapeHtml(label)}" style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%;top:${rows.get(view.id)! * ROW_HEIGHT}px">${escapeHtml(view.name)}</div>`;
      })
      .join('');
    return `<div class="lane" data-thread="${escapeHtml(thread)}"><div class="lane-label">${escapeHtml(thread)}</div><div class="lane-track" style="height:${height}px">${bars}</div></div>`;
  });
  const errors = views.filter((view) => view.error).length;
  const html = `<section class="trace" data-trace-id="${traceId}">
<h2>${escapeHtml(root.name)} <small>${total.toFixed(2)} ms · ${views.length} spans · ${threads.length} threads${errors ? ` · <b class="error-count">${errors} error${errors > 1 ? 's' : ''}</b>` : ''}</small> <code>${traceId}</code></h2>
<div class="axis">${ticks}</div>
${lanes.join('\n')}
</section>`;
  return { html, views };
}

/**
 * One self-contained HTML page (no network fetches) with a waterfall per trace: spans on
 * a time axis, one lane per thread, parallel work visibly overlapping, errors in red, a
 * span's attributes and events in a side panel on click.
 */
export function renderWaterfallHtml(spans: readonly ReadableSpan[], title = 'worker-otp traces'): string {
  const byTrace = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    const traceId = span.spanContext().traceId;
    byTrace.set(traceId, [...(byTrace.get(traceId) ?? []), span]);
  }
  const sections = [...byTrace.entries()]
    .sort(([, a], [, b]) => Math.min(...a.map((s) => hrTimeToMilliseconds(s.startTime))) - Math.min(...b.map((s) => hrTimeToMilliseconds(s.startTime))))
    .map(([traceId, traceSpans]) => traceSection(traceId, traceSpans));
  const details = Object.fromEntries(sections.flatMap((section) => section.views.map((view) => [view.id, view])));
  // Inside a <script> element nothing may look like a closing tag.
  const data = JSON.stringify(details).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 0; display: flex; color: #1d2330; background: #f7f8fa; }
main { flex: 1; padding: 16px 20px; min-width: 0; }
h1 { font-size: 18px; margin: 0 0 12px; }
.trace { background: #fff; border: 1px solid #dde1e8; border-radius: 6px; padding: 10px 12px 14px; margin-bottom: 14px; }
.trace h2 { font-size: 14px; margin: 0 0 8px; font-weight: 600; }
.trace h2 small { font-weight: 400; color: #5b6475; }
.trace h2 code { font-size: 11px; color: #8a93a3; margin-left: 6px; }
.error-count { color: #c62828; }
.axis { position: relative; height: 16px; margin-left: 150px; border-bottom: 1px solid #dde1e8; font-size: 10px; color: #8a93a3; }
.axis span { position: absolute; transform: translateX(-50%); white-space: nowrap; }
.axis span:first-child { transform: none; }
.axis span:last-child { transform: translateX(-100%); }
.lane { display: flex; border-bottom: 1px dashed #eceff3; padding: 3px 0; }
.lane-label { width: 150px; flex: none; font-size: 11px; color: #5b6475; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding-top: 3px; }
.lane-track { position: relative; flex: 1; }
.bar { position: absolute; height: 18px; box-sizing: border-box; background: #4f7cff; color: #fff; border-radius: 3px; font-size: 11px; line-height: 18px; padding: 0 4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; cursor: pointer; }
.bar:hover, .bar.selected { outline: 2px solid #1d2330; }
.bar.error { background: #d93025; }
aside { width: 340px; flex: none; border-left: 1px solid #dde1e8; background: #fff; padding: 16px; box-sizing: border-box; height: 100vh; position: sticky; top: 0; overflow: auto; }
aside h3 { margin: 0 0 6px; font-size: 14px; word-break: break-all; }
aside table { border-collapse: collapse; width: 100%; font-size: 12px; }
aside td { border-top: 1px solid #eceff3; padding: 3px 4px; vertical-align: top; word-break: break-all; }
aside td:first-child { color: #5b6475; width: 40%; }
aside .events td:last-child { white-space: pre-wrap; }
aside .status-error { color: #c62828; font-weight: 600; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${sections.map((section) => section.html).join('\n')}
</main>
<aside id="detail"><p class="hint">Click a span to see its attributes and events.</p></aside>
<script type="application/json" id="span-data">${data}</script>
<script>
(() => {
  const spans = JSON.parse(document.getElementById('span-data').textContent);
  const panel = document.getElementById('detail');
  const text = (value) => document.createTextNode(typeof value === 'string' ? value : JSON.stringify(value));
  const row = (table, key, value) => {
    const tr = table.insertRow();
    tr.insertCell().appendChild(text(key));
    tr.insertCell().appendChild(text(value));
  };
  document.addEventListener('click', (event) => {
    const bar = event.target.closest('.bar');
    if (!bar) return;
    document.querySelectorAll('.bar.selected').forEach((other) => other.classList.remove('selected'));
    bar.classList.add('selected');
    const span = spans[bar.dataset.spanId];
    panel.replaceChildren();
    const heading = document.createElement('h3');
    heading.appendChild(text(span.name));
    panel.appendChild(heading);
    const summary = document.createElement('table');
    summary.className = 'summary';
    row(summary, 'thread', span.thread);
    row(summary, 'duration', span.duration.toFixed(3) + ' ms');
    row(summary, 'starts at', span.start.toFixed(3) + ' ms');
    if (span.error) {
      row(summary, 'status', 'ERROR ' + span.status);
      summary.rows[summary.rows.length - 1].cells[1].className = 'status-error';
    }
    panel.appendChild(summary);
    const attributes = document.createElement('table');
    attributes.className = 'attributes';
    for (const [key, value] of Object.entries(span.attributes)) row(attributes, key, value);
    panel.appendChild(Object.assign(document.createElement('h4'), { textContent: 'Attributes' }));
    panel.appendChild(attributes);
    if (span.events.length) {
      panel.appendChild(Object.assign(document.createElement('h4'), { textContent: 'Events' }));
      const events = document.createElement('table');
      events.className = 'events';
      for (const spanEvent of span.events) {
        const lines = Object.entries(spanEvent.attributes).map(([key, value]) => key + ' = ' + (typeof value === 'string' ? value : JSON.stringify(value)));
        row(events, spanEvent.name + ' @ ' + spanEvent.at.toFixed(3) + ' ms', lines.join('\\n'));
      }
      panel.appendChild(events);
    }
  });
})();
</script>
</body>
</html>
`;
}
