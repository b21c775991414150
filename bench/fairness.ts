// Does the event loop stay fair under a flood? The minute tick's lag and a chat
// command's latency, measured while 6,000 commands are piped into the console and
// while the web side takes a 2,000-request burst. Prints each figure against its goal
// and exits non-zero when one is missed. Usage: npm run bench (after the core figures).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { consolePlatform, runConsole } from '../adapters/console/console.js';
import { createWebAdapter } from '../adapters/web/server.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { sweep } from '../src/scheduler/index.js';

const SERVICES = 1_000;
const MEMBERS = 500;
const dir = mkdtempSync(path.join(tmpdir(), 'smb-bench-fair-'));
const file = path.join(dir, 'bot.db');
const here = fileURLToPath(import.meta.url);
const loader = path.extname(here) === '.ts' ? ['--import', 'tsx'] : [];
const seeded = spawnSync(process.execPath, [...loader, path.join(path.dirname(here), `seed${path.extname(here)}`), file, String(SERVICES), String(MEMBERS), '10000'], { stdio: 'inherit' });
if (seeded.status !== 0) throw new Error('seeding failed');

// The production limits: one member's flood is refused after 30 commands a minute.
const app = await createApp({ config: loadConfig({ DATABASE_URL: `file:${file}`, COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
const web = createWebAdapter({ core: app, timezone: 'UTC', logger: silentLogger });
const port = await web.start(0);

let missed = 0;
function line(what: string, figure: string, goal: string, ok: boolean): void {
  if (!ok) missed++;
  console.log(`${ok ? 'ok  ' : 'MISS'} ${what.padEnd(58)} ${figure.padEnd(22)} goal ${goal}`);
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

/** While `load` runs: a tick every 200 ms (its lateness is the lag) and a chat command every 50 ms from another member. */
async function underLoad(name: string, load: () => Promise<unknown>): Promise<void> {
  const lags: number[] = [];
  const latencies: number[] = [];
  let peakRss = 0;
  let done = false;
  let expected = performance.now() + 200;
  const tick = setInterval(() => {
    lags.push(performance.now() - expected);
    expected = performance.now() + 200;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    void sweep(app.deps);
  }, 200);
  const chat = (async () => {
    for (let i = 0; !done; i++) {
      const s = performance.now();
      await app.handle({ group: 'service', text: `level svc-${(i * 7919) % SERVICES}`, actor: { platform: 'console', externalId: `m${i % MEMBERS}` }, platform: consolePlatform });
      latencies.push(performance.now() - s);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const started = performance.now();
  await load();
  const took = performance.now() - started;
  done = true;
  clearInterval(tick);
  await chat;
  const lag = Math.max(0, ...lags);
  console.log(`     ${name}: ${took.toFixed(0)} ms, ${lags.length} ticks, ${latencies.length} chat commands`);
  line(`${name}: longest tick lag`, `${lag.toFixed(0)} ms`, '≤ 2000 ms', lag <= 2000);
  line(`${name}: chat command p99`, `${pct(latencies, 99).toFixed(1)} ms`, '≤ 250 ms', pct(latencies, 99) <= 250);
  line(`${name}: peak resident memory`, `${(peakRss / 1048576).toFixed(0)} MB`, '≤ 250 MB', peakRss <= 250 * 1048576);
}

await underLoad('6,000 piped commands', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  output.resume();
  input.end(['as m1', ...Array.from({ length: 6000 }, (_, i) => (i % 3 === 0 ? `/coop poll Flood ${i}?` : i % 3 === 1 ? `/service info svc-${i % SERVICES}` : '/coop polls'))].join('\n') + '\n');
  await runConsole({ app, input, output, user: 'admin', interactive: false });
});

await underLoad('2,000 web requests at once', async () => {
  const paths = ['/', '/healthz', '/metrics', '/report', '/services/svc-1', '/badge/svc-2.svg'];
  const results = await Promise.all(
    Array.from({ length: 2000 }, (_, i) =>
      fetch(`http://127.0.0.1:${port}${paths[i % paths.length]}`)
        .then(async (r) => (await r.arrayBuffer(), r.status))
        .catch(() => 0),
    ),
  );
  const served = results.filter((s) => s === 200).length;
  const busy = results.filter((s) => s === 503).length;
  console.log(`     2,000 web requests: ${served} served, ${busy} asked to retry (503), ${results.length - served - busy} other`);
});

await web.stop();
await app.close();
rmSync(dir, { recursive: true, force: true });
process.exitCode = missed > 0 ? 1 : 0;
