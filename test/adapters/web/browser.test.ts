// The web pages as a member's browser shows them: headless Chromium (Debian's, driven by
// playwright-core), axe-core's accessibility rules, and a phone's 375 px wide screen.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebAdapter, type WebAdapter } from '../../../adapters/web/server.js';
import { loadCatalogueFile } from '../../../src/catalogue-file.js';
import { openBot, type TestBot } from '../../helpers/bot.js';
import { tempDir } from '../../helpers/tmp.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const catalogue = loadCatalogueFile('catalogues/coop-default.json');

let bot: TestBot;
let web: WebAdapter;
let browser: Browser;
let base: string;

beforeAll(async () => {
  bot = await openBot(tempDir());
  // A co-op with something at every level, an open poll, a deficiency, long words and typed markup.
  await bot.run('/coop member add @alice', '/coop member add @bob', '/coop member add @carol');
  await bot.run('as alice', '/service propose wiki user The wiki <b>bold</b> <script>alert(1)</script>', '/service propose vm infrastructure Virtual machines for everyone');
  await bot.run('/service propose a-very-long-service-name-that-goes-on-and user Averyveryveryverylongwordwithoutanyspacesthatwouldoverflowanarrowphonescreen');
  await bot.run(...catalogue.levels.alpha.map((r) => `/service assess wiki ${r.key} met`), '/service request wiki alpha');
  for (const who of ['admin', 'alice', 'bob', 'carol']) await bot.run(`as ${who}`, '/coop vote 1 yes');
  await bot.run('as alice', ...catalogue.levels.alpha.map((r) => `/service assess vm ${r.key} met`), '/service request vm alpha', '/service report wiki Search is broken');
  await bot.run('as admin', '/service propose old user Old thing', '/service retire old Replaced by the wiki');
  web = createWebAdapter({ core: bot.app, timezone: 'Europe/London', logger: bot.app.deps.logger, publicUrl: 'https://bot.example.coop' });
  base = `http://127.0.0.1:${await web.start(0)}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await bot?.close();
});

const PAGES = ['/', '/services/wiki', '/services/vm', '/services/old', '/services/a-very-long-service-name-that-goes-on-and', '/report', '/services/nothing-here'];

async function open(path: string, width = 1024): Promise<Page> {
  // The pages' Content-Security-Policy forbids inline scripts; the test injects axe itself.
  const context = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base}${path}`);
  return page;
}

describe('the web pages in a browser', () => {
  it.each(PAGES)('%s has no serious or critical accessibility finding, and fits a 375 px screen without sideways scrolling', async (path) => {
    const page = await open(path);
    await page.addScriptTag({ content: axeSource });
    // Run in the page (a string: the page's globals are not this program's).
    const findings = (await page.evaluate(`axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.html).slice(0, 3) })))`)) as {
      id: string;
      impact: string | null;
      nodes: string[];
    }[];
    expect(findings.filter((f) => f.impact === 'serious' || f.impact === 'critical')).toEqual([]);
    expect(await page.locator('main').count()).toBe(1);
    // The same page on a phone.
    await page.setViewportSize({ width: 375, height: 800 });
    const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(width).toBeLessThanOrEqual(375);
    await page.context().close();
  });

  it('shows the report as a document, with what members typed as text', async () => {
    const page = await open('/report');
    expect(await page.locator('h1').first().textContent()).toContain('report');
    expect(await page.locator('h2').count()).toBeGreaterThan(2);
    expect(await page.locator('main script, main b').count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('<script>alert(1)</script>');
    expect(await page.locator('a[href="/report.md"]').count()).toBe(1);
    await page.context().close();
  });

  it('shows a service page with its open poll, level history, this level and the next level, and a badge snippet', async () => {
    const page = await open('/services/wiki');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Requirements of alpha (to stay there)');
    expect(text).toContain('Requirements for beta (the next level)');
    expect(text).toContain('Level history');
    expect(text).toMatch(/verified by the co-op in poll #1 \(was proposed\)/);
    expect(text).toContain('[![wiki](https://bot.example.coop/badge/wiki.svg)](https://bot.example.coop/services/wiki)');
    const vm = await open('/services/vm');
    expect(await vm.locator('main').textContent()).toContain('Open verification poll #2');
    await vm.context().close();
    await page.context().close();
  });
});
