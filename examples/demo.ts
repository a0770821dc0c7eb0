#!/usr/bin/env node
/**
 * The demo: every reference scenario, each checked as it runs, each trace shown as a tree.
 *
 *   npm run demo                                  every scenario
 *   npm run demo -- <name> [<name> ...]          some of them
 *   npm run demo -- --list                       what there is
 *   ... --html traces.html                        a self-contained waterfall page
 *   ... --otlp-json traces.json                   the spans as OTLP JSON
 *
 * Without a collector the spans stay local; with OTEL_EXPORTER_OTLP_ENDPOINT set they also
 * go to that collector. Exit code 0 when every scenario behaved as intended.
 */
import { writeFileSync } from 'node:fs';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTelemetry, type FinishedSpan } from '../index';
import { resolveTelemetryOptions } from '../runtime/telemetry-options';
import { scenario as cluster } from './cluster';
import { scenario as cpuBatch } from './cpu-batch';
import { scenario as criticalService } from './critical-service';
import { scenario as dataProcessor } from './data-processor';
import { scenario as externalService } from './external-service';
import { scenario as highThroughput } from './high-throughput';
import { scenario as httpService } from './http-service-scenario';
import { scenario as reportGenerator } from './report-generator';
import { scenario as supervisedCrash } from './supervised-crash';
import { scenario as userCache } from './user-cache';
import { renderWaterfallHtml } from './support/html-waterfall';
import { localExporterUnlessConfigured } from './support/local-exporter';
import { printTraces } from './support/print-traces';
import type { Scenario } from './support/scenario';
import { TeeExporter } from './support/tee-exporter';

export const SCENARIOS: readonly Scenario[] = [userCache, dataProcessor, reportGenerator, externalService, criticalService, highThroughput, supervisedCrash, cpuBatch, httpService, cluster];

interface DemoArgs {
  names: string[];
  list: boolean;
  html?: string;
  otlpJson?: string;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): DemoArgs {
  const args: DemoArgs = { names: [], list: false };
  const rest = argv[0] === 'demo' ? argv.slice(1) : [...argv];
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index]!;
    if (arg === '--list') args.list = true;
    else if (arg === '--html' || arg === '--otlp-json') {
      const file = rest[++index];
      if (!file || file.startsWith('--')) throw new UsageError(`${arg} needs a file name`);
      if (arg === '--html') args.html = file;
      else args.otlpJson = file;
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else args.names.push(arg);
  }
  return args;
}

async function runScenario(scenario: Scenario, colour: boolean): Promise<{ spans: FinishedSpan[]; failure?: string }> {
  const serviceName = process.env.OTEL_SERVICE_NAME ?? 'worker-otp-demo';
  const configured = resolveTelemetryOptions({ serviceName, ...localExporterUnlessConfigured(), ...scenario.telemetry });
  // With a collector configured, keep a copy of what is sent, for the local views.
  const tee = configured.exporter === 'otlp'
    ? new TeeExporter(new OTLPTraceExporter({ url: configured.endpoint, timeoutMillis: configured.exportTimeoutMs }))
    : undefined;
  const telemetry = startTelemetry({ serviceName, ...localExporterUnlessConfigured(), ...scenario.telemetry, ...(tee ? { exporter: tee } : {}) });
  let failure: string | undefined;
  const added: FinishedSpan[] = [];
  try {
    await scenario.run({ telemetry, log: (line) => console.log(`  ${line}`), interactive: Boolean(process.stdout.isTTY), addSpans: (spans) => added.push(...spans) });
  } catch (error) {
    failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    await telemetry.shutdown();
  }
  const spans = [...(tee ? tee.kept : telemetry.finishedSpans()), ...added];
  if (spans.length > 0) printTraces(spans, { colour });
  return failure === undefined ? { spans } : { spans, failure };
}

export async function demo(argv: readonly string[]): Promise<number> {
  let args: DemoArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    console.error(`worker-otp demo: ${(error as Error).message}\nusage: npm run demo -- [--list] [<scenario> ...] [--html FILE] [--otlp-json FILE]`);
    return 2;
  }
  if (args.list) {
    for (const scenario of SCENARIOS) console.log(`${scenario.name.padEnd(18)} ${scenario.summary}`);
    return 0;
  }
  const unknown = args.names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    console.error(`worker-otp demo: no scenario ${unknown.join(', ')}; see npm run demo -- --list`);
    return 2;
  }
  const selected = args.names.length > 0 ? SCENARIOS.filter((scenario) => args.names.includes(scenario.name)) : SCENARIOS;
  const colour = Boolean(process.stdout.isTTY);
  const allSpans: FinishedSpan[] = [];
  const failures: string[] = [];
  for (const scenario of selected) {
    console.log(`\n${colour ? '\x1b[1m' : ''}== ${scenario.name}: ${scenario.summary}${colour ? '\x1b[0m' : ''}`);
    const { spans, failure } = await runScenario(scenario, colour);
    allSpans.push(...spans);
    if (failure) {
      failures.push(`${scenario.name}: ${failure}`);
      console.log(`  ${colour ? '\x1b[31m' : ''}FAILED ${failure}${colour ? '\x1b[0m' : ''}`);
    }
  }
  if (args.html) {
    writeFileSync(args.html, renderWaterfallHtml(allSpans, `worker-otp demo: ${selected.map((scenario) => scenario.name).join(', ')}`));
    console.log(`\nwaterfall of ${allSpans.length} spans written to ${args.html}`);
  }
  if (args.otlpJson) {
    writeFileSync(args.otlpJson, JsonTraceSerializer.serializeRequest(allSpans as ReadableSpan[]) ?? new Uint8Array());
    console.log(`${allSpans.length} spans written as OTLP JSON to ${args.otlpJson}`);
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} scenario(s) did not behave as intended:\n${failures.map((line) => `  ${line}`).join('\n')}`);
    return 1;
  }
  console.log(`\nall ${selected.length} scenarios behaved as intended`);
  return 0;
}

if (require.main === module) {
  demo(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
