/**
 * The live view in real headless Chromium: the supervision tree and the processes render;
 * a crash injected while the page is open shows up as an exit (with its trace id) and a
 * restart without a reload; the page makes no request but to its server; a request
 * without the token, or addressed to another host, is refused.
 */
import { request } from 'node:http';
import type { Browser } from 'playwright-core';
import { Supervisor, TaskSupervisor, call, observe, startTelemetry, workerChild, type LiveView, type ObservedState, type Telemetry } from '../../dist';
import { launchChromium, requireChromium } from '../../dist/tests/support/chromium';
import { fixturePath } from '../../dist/tests/support/fixtures';

let browser: Browser;
let view: LiveView;
let telemetry: Telemetry;
let supervisor: Supervisor;
let pool: TaskSupervisor;

/** A GET to the view's server, as another program on this machine would make it. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: view.port, path, headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

beforeAll(async () => {
  requireChromium();
  telemetry = startTelemetry({ exporter: 'memory', env: {} });
  view = await observe({ log: false, intervalMs: 200 });
  supervisor = await Supervisor.start([workerChild('watched', fixturePath('edge-server'), {}, { name: 'watched' })], { name: 'watched_sup' });
  pool = TaskSupervisor.start({ name: 'watched_pool', maxThreads: 1 });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await supervisor?.stop();
  await pool?.shutdown();
  await view?.close();
  await telemetry?.shutdown();
});

it('binds 127.0.0.1 on a free port and gives a URL with a random token', () => {
  expect(view.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${view.port}/\\?token=[A-Za-z0-9_-]{32}$`));
});

it('renders the tree and the processes, and shows a crash and its restart live, without a reload', async () => {
  const page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (sent) => requests.push(sent.url()));
  let navigations = 0;
  page.on('framenavigated', () => (navigations += 1));
  try {
    await page.goto(view.url);
    await page.waitForSelector('#processes tbody tr[data-label="watched"]');
    expect(await page.textContent('#trees')).toContain('watched_sup');
    expect(await page.textContent('#trees')).toContain('watched');
    await page.waitForSelector('#pools tbody tr[data-pool="watched_pool"]');
    const before = await page.getAttribute('#processes tbody tr[data-label="watched"]', 'data-pid');

    await expect(call('watched', { type: 'throw', value: new Error('crash while watched') })).rejects.toThrow('crash while watched');
    await page.waitForSelector('#feed li[data-kind="restart"]');
    const exit = page.locator(`#feed li[data-kind="exit"][data-pid="${before}"]`);
    expect(await exit.textContent()).toContain('exited: error: Error: crash while watched');
    // Traced: the exit names the trace of the call that crashed it.
    const traceId = await exit.locator('code').textContent();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await telemetry.forceFlush();
    const crashed = telemetry.finishedSpans().filter((span) => span.spanContext().traceId === traceId);
    expect(crashed.map((span) => `${span.name} ${span.status.code}`)).toContain('watched.handle_call 2');
    expect(await page.textContent('#feed li[data-kind="restart"]')).toContain('watched_sup restarted watched');
    // The new process, restarted once, is in the table; the page never reloaded.
    await page.waitForFunction((old) => {
      const row = (globalThis as unknown as { document: { querySelector(selector: string): { getAttribute(name: string): string | null; lastElementChild: { textContent: string | null } | null } | null } }).document.querySelector(
        '#processes tbody tr[data-label="watched"]',
      );
      return row !== null && row.getAttribute('data-pid') !== old && row.lastElementChild?.textContent === '1';
    }, before);
    expect(navigations).toBe(1);
    const origin = new URL(view.url).origin;
    expect(requests.every((url) => url.startsWith(origin))).toBe(true);
  } finally {
    await page.close();
  }
});

it('refuses a request without the token, with a wrong one, or addressed to another host', async () => {
  const token = new URL(view.url).searchParams.get('token')!;
  expect((await get('/')).status).toBe(403);
  expect((await get('/events')).status).toBe(403);
  expect((await get(`/state?token=${token.slice(1)}x`)).status).toBe(403);
  expect((await get(`/state?token=${token}`, { Host: `attacker.example:${view.port}` })).status).toBe(421);
  const page = await browser.newPage();
  try {
    const response = await page.goto(view.url.replace(/\?token=.*$/, ''));
    expect(response?.status()).toBe(403);
  } finally {
    await page.close();
  }
  const state = JSON.parse((await get(`/state?token=${token}`)).body) as ObservedState;
  expect(state.processes.map((process) => process.label)).toContain('watched');
  expect(state.pools).toEqual([expect.objectContaining({ name: 'watched_pool', maxThreads: 1 })]);
});

it('refuses bad options, and a port that is taken, saying so', async () => {
  await expect(observe({ port: 70_000, log: false })).rejects.toThrow(RangeError);
  await expect(observe({ intervalMs: -1, log: false })).rejects.toThrow(RangeError);
  await expect(observe({ port: view.port, log: false })).rejects.toThrow(`cannot listen on 127.0.0.1:${view.port}`);
});
