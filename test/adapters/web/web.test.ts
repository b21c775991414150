// The read-only web pages over HTTP, on a real database.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consolePlatform } from '../../../adapters/console/console.js';
import { createWebAdapter, type WebAdapter } from '../../../adapters/web/server.js';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { tempDir } from '../../helpers/tmp.js';

let core: App;
let web: WebAdapter;
let base: string;

beforeEach(async () => {
  core = await createApp({ config: loadConfig({ DATABASE_URL: `file:${path.join(tempDir(), 'bot.db')}`, COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
  const say = (who: string, group: 'service' | 'coop', text: string) => core.handle({ group, text, actor: { platform: 'console', externalId: who }, platform: consolePlatform });
  await say('admin', 'coop', 'member add @alice');
  await say('alice', 'service', 'propose vm infrastructure Virtual machines');
  await say('alice', 'service', 'propose wiki user A wiki <script>alert(1)</script>');
  await say('alice', 'service', 'set wiki uses vm');
  await say('admin', 'service', 'report wiki Down at night');
  web = createWebAdapter({ core, timezone: 'UTC', logger: silentLogger });
  base = `http://127.0.0.1:${await web.start(0)}`;
});

afterEach(async () => {
  await web.stop();
  await core.close();
});

const get = async (p: string, init?: RequestInit) => {
  const res = await fetch(`${base}${p}`, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text(), csp: res.headers.get('content-security-policy'), headers: res.headers };
};

describe('web pages', () => {
  it('list the services by level, escaping what members typed', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.type).toContain('text/html');
    expect(r.body).toContain('<a href="/services/wiki">wiki</a>');
    expect(r.body).toContain('A wiki &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.body).not.toContain('<script>');
    expect(r.csp).toContain("default-src 'none'");
  });

  it('list live services first and retired ones last', async () => {
    await core.handle({ group: 'service', text: 'propose old user Old', actor: { platform: 'console', externalId: 'alice' }, platform: consolePlatform });
    await core.handle({ group: 'service', text: 'retire old Gone', actor: { platform: 'console', externalId: 'alice' }, platform: consolePlatform });
    const body = (await get('/')).body;
    expect(body.indexOf('>proposed</span>')).toBeGreaterThan(-1);
    expect(body.indexOf('>retired</span>')).toBeGreaterThan(body.indexOf('>proposed</span>'));
  });

  it('export the catalog as JSON and as Backstage entities, text escaped', async () => {
    const json = await get('/services.json');
    expect(json.type).toContain('application/json');
    const services = JSON.parse(json.body) as { name: string; level: string; uses: string[]; summary: string; maintainers: string[] }[];
    expect(services.map((s) => [s.name, s.level, s.uses])).toEqual([
      ['vm', 'proposed', []],
      ['wiki', 'proposed', ['vm']],
    ]);
    expect(services[1]?.summary).toBe('A wiki <script>alert(1)</script>');
    expect(services[1]?.maintainers).toEqual(['alice']);
    const yaml = await get('/catalog-info.yaml');
    expect(yaml.body).toContain('kind: Component\nmetadata:\n  name: wiki\n  description: "A wiki <script>alert(1)</script>"');
    expect(yaml.body).toContain('  lifecycle: experimental\n  owner: group:default/coop\n  dependsOn:\n    - component:default/vm');
    expect(yaml.body.split('\n---\n')).toHaveLength(2);
  });

  it('show one service with what users can expect, its uses and its deficiencies', async () => {
    const r = await get('/services/wiki');
    expect(r.body).toContain('What you can expect:</strong> An idea being worked on');
    expect(r.body).toContain('<a href="/services/vm">vm</a>');
    expect(r.body).toContain('Down at night');
    expect(r.body).toContain('alpha.plan');
    expect((await get('/services/ghost')).status).toBe(404);
  });

  it('serve an SVG badge per service', async () => {
    const r = await get('/badge/wiki.svg');
    expect(r.type).toContain('image/svg+xml');
    expect(r.body).toContain('>proposed</text>');
    const missing = await get('/badge/ghost.svg');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('>unknown</text>');
  });

  it('serve the AGM report, health and metrics', async () => {
    expect((await get('/report.md')).body).toContain('## Services by level');
    const report = (await get('/report')).body;
    expect(report).toContain('&lt;script');
    expect(report).not.toContain('<script>');
    expect(await get('/healthz')).toMatchObject({ status: 200, body: '{"status":"ok","problems":{}}\n' });
    // A part that fails on its own shows as degraded, with the reason; the page still answers.
    core.health.degraded('slack', 'Slack refuses SLACK_BOT_TOKEN (token_revoked)');
    expect(JSON.parse((await get('/healthz')).body)).toEqual({ status: 'degraded', problems: { slack: 'Slack refuses SLACK_BOT_TOKEN (token_revoked)' } });
    core.health.recovered('slack');
    expect(JSON.parse((await get('/healthz')).body)).toEqual({ status: 'ok', problems: {} });
    const m = await get('/metrics');
    expect(m.body).toContain('smb_services{level="proposed"} 2');
    expect(m.body).toContain('smb_open_deficiencies 1');
    expect(m.body).toContain('smb_members 2');
    expect(m.body).toMatch(/process_resident_memory_bytes \d+/);
  });

  it('change nothing and know nothing else', async () => {
    const post = await get('/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const bad = await get('/services/%E0%A4%A');
    expect(bad.status).toBe(400);
    const page = await get('/');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await get('/admin')).status).toBe(404);
  });
});

describe('a burst of requests', () => {
  it('is served or told to retry, never queued without bound, and the bot still answers', async () => {
    const answers = await Promise.all(Array.from({ length: 300 }, () => fetch(`${base}/report`).then(async (r) => ({ status: r.status, retry: r.headers.get('retry-after'), body: await r.text() }))));
    expect(answers.every((a) => a.status === 200 || (a.status === 503 && a.retry === '1'))).toBe(true);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    const r = await core.handle({ group: 'service', text: 'list', actor: { platform: 'console', externalId: 'admin' }, platform: { name: 'console', commandPrefix: (g) => `/${g}` } });
    expect(r.outcome).toBe('ok');
  });
});
