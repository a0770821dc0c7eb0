/**
 * The live view (Erlang's `:observer`, in a browser): `observe()` serves a local page that
 * shows the system as it runs and updates itself over server-sent events.
 *
 * Only its token opens it: a random one in the URL it returns (and prints), checked on
 * every request; it binds 127.0.0.1 by default, and accepts only requests addressed to
 * that host (a page elsewhere cannot reach it by renaming itself: DNS rebinding).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeValue } from '../errors';
import { assertNotInWorkerOtpThread } from '../protocol/thread-kind';
import { validateTimeout } from '../protocol/timeouts';
import { countObserver } from '../runtime/instrumentation';
import { EventFeed, type FeedEvent } from './event-feed';
import { livePage } from './page';
import { SnapshotTaker, type SystemSnapshot } from './snapshot';

/** Options of {@link observe}. */
export interface ObserveOptions {
  /** The port, or 0 (the default) for a free one. */
  readonly port?: number;
  /** The address to bind. Default `127.0.0.1`: only this machine. Any other is reachable by whoever can reach it (the token still guards it). */
  readonly host?: string;
  /** How often the page is updated, ms (an exit or a restart is pushed at once). Default 1000. */
  readonly intervalMs?: number;
  /** Where the URL is told: a function given the line, or `false` for nowhere. Default: one line on stderr. */
  readonly log?: ((line: string) => void) | false;
}

/** A running live view. */
export interface LiveView {
  /** The page's address, with its token: open it in a browser. */
  readonly url: string;
  readonly port: number;
  /** Stops serving (open pages see the end of the stream) and stops collecting. */
  close(): Promise<void>;
}

/** What the page receives: the system now, and the recent exits and restarts, newest first. */
export interface ObservedState extends SystemSnapshot {
  readonly events: readonly FeedEvent[];
}

const FEED_LIMIT = 200;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Serves the live view: the supervision trees, every process (pid, name, module, mailbox
 * depth, busy share, heap, restarts), task pools (queue depth, busy threads), and a feed
 * of recent exits (with their reasons and trace ids) and restarts, updated live. Processes
 * started after it report their mailbox depth and heap (those started before, only what
 * the main thread sees). Resolves once it listens.
 */
export async function observe(options: ObserveOptions = {}): Promise<LiveView> {
  assertNotInWorkerOtpThread('observe');
  if (options === null || typeof options !== 'object') throw new TypeError(`worker-otp observe: options must be an object; got ${describeValue(options)}`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`worker-otp observe: options.port must be an integer from 0 to 65535; got ${describeValue(options.port)}`);
  const intervalMs = validateTimeout(options.intervalMs ?? 1000, 'options.intervalMs');
  const host = options.host ?? '127.0.0.1';
  const token = randomBytes(24).toString('base64url');
  const taker = new SnapshotTaker();
  const clients = new Set<ServerResponse>();
  let pushing = false;
  const state = (): ObservedState => ({ ...taker.take(), events: feed.events() });
  const push = () => {
    pushing = false;
    if (clients.size === 0) return;
    const frame = `event: snapshot\ndata: ${JSON.stringify(state())}\n\n`;
    for (const client of clients) client.write(frame);
  };
  // An exit is followed at once by its restart: one push for both, on the next turn.
  const feed = new EventFeed(FEED_LIMIT, () => {
    if (pushing) return;
    pushing = true;
    setImmediate(push);
  });

  const server = createServer((request, response) => {
    try {
      serve(request, response);
    } catch (error) {
      response.writeHead(500).end(`worker-otp observer: ${(error as Error).message}`);
    }
  });
  const serve = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://observer');
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    if (!allowedHost(request.headers.host, host, listening.port)) {
      response.writeHead(421, { 'Content-Type': 'text/plain' }).end('worker-otp observer: this server answers only requests addressed to it by its own host and port');
      return;
    }
    if (!sameToken(url.searchParams.get('token'), token)) {
      response.writeHead(403, { 'Content-Type': 'text/plain' }).end('worker-otp observer: open the URL observe() gave, with its token');
      return;
    }
    if (request.method !== 'GET') {
      response.writeHead(405, { Allow: 'GET', 'Content-Type': 'text/plain' }).end('worker-otp observer: GET only');
      return;
    }
    switch (url.pathname) {
      case '/': {
        const nonce = randomBytes(16).toString('base64');
        response.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        });
        response.end(livePage(nonce));
        return;
      }
      case '/events':
        response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
        response.write(`retry: 2000\n\nevent: snapshot\ndata: ${JSON.stringify(state())}\n\n`);
        clients.add(response);
        request.once('close', () => clients.delete(response));
        return;
      case '/state':
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(state()));
        return;
      default:
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('worker-otp observer: no such page');
    }
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    feed.close();
    throw new Error(`worker-otp observe: cannot listen on ${host}:${port} (${(error as Error).message}); choose another port or host`, { cause: error });
  }
  const listening = server.address() as AddressInfo;
  countObserver(1);
  const timer = setInterval(push, intervalMs);
  timer.unref();
  const shown = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shown}:${listening.port}/?token=${token}`;
  if (options.log !== false) (options.log ?? ((line: string) => process.stderr.write(`${line}\n`)))(`worker-otp observer: ${url}`);
  let closed: Promise<void> | undefined;
  return {
    url,
    port: listening.port,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        clearInterval(timer);
        feed.close();
        countObserver(-1);
        for (const client of clients) client.end();
        clients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

/** The Host header names this server: its own address (or, on loopback, `localhost`) and port. */
function allowedHost(header: string | undefined, host: string, port: number): boolean {
  if (header === undefined) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header);
  if (match === null || Number(match[2] ?? 80) !== port) return false;
  const name = match[1]!.replace(/^\[|\]$/g, '');
  if (LOOPBACK.has(host)) return LOOPBACK.has(name);
  return host === '0.0.0.0' || host === '::' || name === host;
}

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
