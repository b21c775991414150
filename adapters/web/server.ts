// The read-only web pages: the catalog, a page and an SVG badge per service, the AGM
// report, /healthz and Prometheus /metrics. Nothing here changes anything.
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { App as Core } from '../../src/app.js';
import { isServiceName } from '../../src/domain/service.js';
import type { Logger } from '../../src/logger.js';
import { StartupError } from '../../src/startup.js';
import { loadPollView } from '../../src/usecases/poll-view.js';
import type { ServiceRecord } from '../../src/ports.js';
import { catalogInfoYaml, servicesJson } from './export.js';
import { badgeSvg, catalogPage, notFoundPage, reportPage, servicePage } from './pages.js';

export interface WebAdapter {
  start(port: number): Promise<number>;
  stop(): Promise<void>;
}

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Requests served at once; the rest are asked to retry. */
export const MAX_IN_FLIGHT = 16;
/** Pages that read the whole co-op are rendered at most this often, however many ask. */
const CACHE_MS = 5_000;

/** One rendering shared by every request in a short window (the first one's, even while it is being made). */
function renderCache<T>(): (render: () => Promise<T>) => Promise<T> {
  let entry: { at: number; value: Promise<T> } | undefined;
  return (render) => {
    if (entry && Date.now() - entry.at < CACHE_MS) return entry.value;
    const value = render();
    const made = { at: Date.now(), value };
    entry = made;
    value.catch(() => {
      if (entry === made) entry = undefined;
    });
    return value;
  };
}

export interface WebOptions {
  core: Core;
  timezone: string;
  logger: Logger;
  /** The address to bind (WEB_HOST): loopback unless the sysadmin opens it. */
  host?: string;
  /** Where members reach these pages (PUBLIC_URL), for absolute links. */
  publicUrl?: string;
}

export function createWebAdapter(o: WebOptions): WebAdapter {
  const { core, timezone: tz, logger } = o;
  const host = o.host ?? '127.0.0.1';

  const send = (res: ServerResponse, status: number, type: string, body: string, cache = 'no-cache') => {
    res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': cache, ...SECURITY_HEADERS }).end(body);
  };

  const catalogCache = renderCache<string>();
  const reportCache = renderCache<{ markdown: string; html: string }>();
  let filesDir: string | undefined;
  /** Report files written, oldest first; all but the last two are removed (a request may still be reading one). */
  const written: string[] = [];

  /** The whole report, written section by section into a Markdown file and an HTML page at once. */
  async function writeReport(): Promise<{ markdown: string; html: string }> {
    filesDir ??= await mkdtemp(path.join(tmpdir(), 'smb-web-'));
    const stamp = `${Date.now()}-${written.length}`;
    const files = { markdown: path.join(filesDir, `report-${stamp}.md`), html: path.join(filesDir, `report-${stamp}.html`) };
    const [mdOut, htmlOut] = await Promise.all([open(files.markdown, 'w', 0o600), open(files.html, 'w', 0o600)]);
    try {
      let first = true;
      for await (const chunk of core.documentSections({ kind: 'agm-report', asOf: core.deps.clock.now().toISOString() })) {
        if (first) await htmlOut.write(reportPage.start(/^# (.*)/.exec(chunk)?.[1] ?? 'AGM report'));
        first = false;
        await mdOut.write(chunk);
        await htmlOut.write(reportPage.section(chunk));
      }
      await htmlOut.write(reportPage.end());
    } finally {
      await Promise.all([mdOut.close(), htmlOut.close()]);
    }
    written.push(files.markdown, files.html);
    for (const old of written.splice(0, Math.max(0, written.length - 4))) await rm(old, { force: true });
    return files;
  }
  const exportCache = renderCache<ServiceRecord[]>();

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'text/plain', 'Read-only: GET only.\n');
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let p: string;
    try {
      p = decodeURIComponent(url.pathname);
    } catch {
      // A malformed percent-escape is the client's mistake: a 400, and nothing in the error log.
      return send(res, 400, 'text/plain', 'Bad request: the address has a malformed percent-escape.\n');
    }
    if (p === '/healthz') {
      await core.store.read((r) => r.members.countAll());
      const health = core.health.report();
      // Degraded is still up (the other adapters work): 200, with the reasons, for monitoring to read.
      return send(res, 200, 'application/json', `${JSON.stringify(health)}\n`);
    }
    if (p === '/metrics') return send(res, 200, core.deps.metrics.contentType.replace(/; charset=utf-8$/i, ''), await core.deps.metrics.text());
    if (p === '/' || p === '/services') {
      const html = await catalogCache(async () => {
        const [services, unmaintained] = await core.store.read((r) => Promise.all([r.services.list({}), r.services.unmaintained({ limit: Number.MAX_SAFE_INTEGER, count: false })]));
        return catalogPage(services, tz, new Set(unmaintained.items.map((s) => s.name)), await core.deps.catalogue());
      });
      return send(res, 200, 'text/html', html);
    }
    if (p === '/services.json' || p === '/catalog-info.yaml') {
      const services = await exportCache(() => core.store.read((r) => r.services.listFull()));
      return p === '/services.json' ? send(res, 200, 'application/json', servicesJson(services)) : send(res, 200, 'application/yaml', catalogInfoYaml(services));
    }
    if (p === '/report' || p === '/report.md') {
      const files = await reportCache(writeReport);
      res.writeHead(200, { 'content-type': `${p === '/report.md' ? 'text/markdown' : 'text/html'}; charset=utf-8`, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
      // A reader who leaves mid-page is no error.
      return pipeline(createReadStream(p === '/report.md' ? files.markdown : files.html), res).catch((e: unknown) => {
        if (!res.destroyed) throw e;
      });
    }
    const badge = /^\/badge\/([^/]+)\.svg$/.exec(p);
    if (badge?.[1] !== undefined) {
      const name = badge[1];
      const service = isServiceName(name) ? await core.store.read((r) => r.services.byName(name)) : null;
      return send(res, service ? 200 : 404, 'image/svg+xml', badgeSvg(name, service?.level ?? 'unknown'), 'max-age=300');
    }
    const page = /^\/services\/([^/]+)$/.exec(p);
    if (page?.[1] !== undefined && isServiceName(page[1])) {
      const name = page[1];
      const [catalogue, found] = await Promise.all([
        core.deps.catalogue(),
        core.store.read(async (r) => {
          const card = await r.services.card(name);
          if (!card) return null;
          const [request, history] = await Promise.all([r.requests.openFor(card.service.id), r.services.levelHistory(card.service.id)]);
          const poll = request?.pollId ? await loadPollView(r, request.pollId) : null;
          return { ...card, history, poll };
        }),
      ]);
      if (found) return send(res, 200, 'text/html', servicePage({ ...found, catalogue, tz, publicUrl: o.publicUrl }));
      return send(res, 404, 'text/html', notFoundPage(`There is no service named ${name}.`));
    }
    return send(res, 404, 'text/html', notFoundPage(`Nothing at ${p}.`));
  }

  let server: Server | undefined;
  // The web side never starves the chat side: a burst beyond this many requests in
  // flight is told to come back (503, Retry-After) without touching the database.
  let inFlight = 0;
  return {
    async start(port) {
      server = createServer((req, res) => {
        if (inFlight >= MAX_IN_FLIGHT) {
          res.setHeader('retry-after', '1');
          return send(res, 503, 'text/plain', 'Busy: try again in a second.\n');
        }
        inFlight++;
        res.once('close', () => inFlight--);
        route(req, res).catch((e: unknown) => {
          logger.error('web page failed', { path: req.url, error: e instanceof Error ? e.message : String(e) });
          if (!res.headersSent) send(res, 500, 'text/plain', 'Something went wrong on our side.\n');
        });
      });
      const listening = server;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', (e: NodeJS.ErrnoException) =>
          reject(new StartupError(e.code === 'EADDRNOTAVAIL' ? 'WEB_HOST' : 'WEB_PORT', `the web pages cannot listen on ${host} port ${port} (${e.code ?? e.message})`)),
        );
        listening.listen(port, host, () => resolve());
      });
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      logger.info('web pages listening', { host, port: actual });
      return actual;
    },
    async stop() {
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      if (filesDir) await rm(filesDir, { recursive: true, force: true });
    },
  };
}
