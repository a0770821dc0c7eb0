/**
 * The demo's --html page, opened in real headless Chromium: a bar per span, a lane per
 * thread, the failing span marked, the detail panel on click, no network requests.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, requireChromium } from '../../dist/tests/support/chromium';
import { runExample } from '../../dist/tests/support/run-example';

interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  name: string;
  status?: { code?: number };
  attributes: Array<{ key: string; value: { stringValue?: string } }>;
}

describe('the HTML waterfall in Chromium', () => {
  let directory: string;
  let browser: Browser;
  let spans: OtlpJsonSpan[];
  let htmlFile: string;

  beforeAll(async () => {
    requireChromium();
    directory = mkdtempSync(join(tmpdir(), 'worker-otp-html-'));
    htmlFile = join(directory, 'traces.html');
    const jsonFile = join(directory, 'traces.json');
    const run = await runExample('demo', {}, ['report-generator', 'data-processor', '--html', htmlFile, '--otlp-json', jsonFile], 60_000);
    expect(run.code).toBe(0);
    const otlp = JSON.parse(readFileSync(jsonFile, 'utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpJsonSpan[] }> }> };
    spans = otlp.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('renders every span as a bar, a lane per thread, the failure marked, details on click, offline', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const url = pathToFileURL(htmlFile).href;
    await page.goto(url);

    // One bar per span, one section per trace.
    expect(await page.locator('.bar').count()).toBe(spans.length);
    expect(await page.locator('.trace').count()).toBe(new Set(spans.map((span) => span.traceId)).size);
    const barIds = await page.locator('.bar').evaluateAll((bars) => bars.map((bar) => (bar as unknown as { dataset: Record<string, string> }).dataset.spanId));
    expect(new Set(barIds)).toEqual(new Set(spans.map((span) => span.spanId)));

    // A lane per thread in each trace: the report's trace has main and three pool threads.
    const thread = (span: OtlpJsonSpan) => span.attributes.find((attribute) => attribute.key === 'thread.name')?.value.stringValue;
    const report = spans.find((span) => span.name === 'report_generator.generate')!;
    const reportThreads = new Set(spans.filter((span) => span.traceId === report.traceId).map(thread));
    const lanes = await page.locator(`.trace[data-trace-id="${report.traceId}"] .lane`).evaluateAll((found) => found.map((lane) => (lane as unknown as { dataset: Record<string, string> }).dataset.thread));
    expect(new Set(lanes)).toEqual(reportThreads);
    expect(reportThreads.size).toBe(4);

    // The three fetches overlap on screen: their bars share horizontal extent.
    const fetchBoxes = await Promise.all(
      ['report_generator.fetch_user', 'report_generator.fetch_analytics', 'report_generator.fetch_transactions'].map((name) =>
        page.locator(`.bar[data-span-id="${spans.find((span) => span.name === name)!.spanId}"]`).boundingBox(),
      ),
    );
    const [first, second] = fetchBoxes;
    expect(first!.x < second!.x + second!.width && second!.x < first!.x + first!.width).toBe(true);

    // The failing validation is an error bar.
    const failed = spans.filter((span) => span.name === 'data_processor.validate' && span.status?.code === 2);
    expect(failed).toHaveLength(1);
    await expect(page.locator(`.bar[data-span-id="${failed[0]!.spanId}"]`).getAttribute('class')).resolves.toContain('error');

    // Its detail panel after a click: name, thread, status, attributes and the exception event.
    await page.locator(`.bar[data-span-id="${failed[0]!.spanId}"]`).click();
    await expect(page.locator('#detail h3').textContent()).resolves.toBe('data_processor.validate');
    await expect(page.locator('#detail .summary').textContent()).resolves.toContain('ERROR invalid_value');
    await expect(page.locator('#detail .attributes').textContent()).resolves.toContain('thread.name');
    await expect(page.locator('#detail .events').textContent()).resolves.toContain('exception');

    expect(requests).toEqual([url]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
