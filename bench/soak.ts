// An hour of mixed use at 10,000 services (issue 18): quick commands, votes and reports
// every few seconds and the whole-co-op ones (status, list pages, /coop report with its
// whole pack written as a file) every half minute, with the scheduler's pass each
// minute, all in this one process with `npm start`'s memory settings. Prints resident
// memory each minute and exits non-zero if it ever passed 200 MB after the first minute.
// Usage: npm run bench:soak   (SOAK_MINUTES=60 by default)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { consolePlatform } from '../adapters/console/console.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { writeDocument } from '../src/documents.js';
import { silentLogger } from '../src/logger.js';
import { sweep } from '../src/scheduler/index.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 60);
const SERVICES = 10_000;
const MEMBERS = 1_000;
const here = fileURLToPath(import.meta.url);
const loader = path.extname(here) === '.ts' ? ['--import', 'tsx'] : [];
const dir = mkdtempSync(path.join(tmpdir(), 'smb-soak-'));
const file = path.join(dir, 'bot.db');
if (spawnSync(process.execPath, [...loader, path.join(path.dirname(here), `seed${path.extname(here)}`), file, String(SERVICES), String(MEMBERS), '100000'], { stdio: 'inherit' }).status !== 0) throw new Error('seeding failed');
const app = await createApp({ config: loadConfig({ DATABASE_URL: `file:${file}`, COOP_BOARD: 'console:admin', LIMIT_COMMANDS_PER_MINUTE: '10000', LIMIT_OPEN_POLLS: '1000', LIMIT_REPORTS_PER_DAY: '10000' }), logger: silentLogger, tick: false });
const say = (who: string, group: 'service' | 'coop', text: string) => app.handle({ group, text, actor: { platform: 'console', externalId: who }, platform: consolePlatform });

const quick: ((i: number) => [string, 'service' | 'coop', string])[] = [
  (i) => [`m${i % MEMBERS}`, 'service', `level svc-${(i * 7919) % SERVICES}`],
  (i) => [`m${i % MEMBERS}`, 'service', `info svc-${(i * 104729) % SERVICES}`],
  (i) => [`m${i % MEMBERS}`, 'coop', 'polls'],
  (i) => [`m${i % MEMBERS}`, 'service', `list ${1 + (i % 250)}`],
];
const started = Date.now();
let i = 0;
let worst = 0;
let minute = 0;
let nextPoll = 0;
const mb = () => process.memoryUsage().rss / 1048576;
while (Date.now() - started < MINUTES * 60_000) {
  i++;
  const [who, group, text] = quick[i % quick.length]?.(i) ?? ['admin', 'service', 'help'];
  await say(who, group, text);
  // A new poll every few minutes, voted on by everyone over the following minutes.
  if (Date.now() >= nextPoll) {
    await say('admin', 'coop', `poll Soak question ${i}?`);
    nextPoll = Date.now() + 180_000;
  }
  const open = (await app.store.read((r) => r.polls.listOpen())).at(-1);
  if (open) await say(`m${i % MEMBERS}`, 'coop', `vote ${open.id} ${i % 3 === 0 ? 'no' : 'yes'}`);
  // A deficiency reported now and then (about 2,000 in the hour, on top of the seed's 300).
  if (i % 50 === 0) await say(`m${i % MEMBERS}`, 'service', `report svc-${i % SERVICES} Soak deficiency ${i}`);
  if (i % 300 === 0) {
    await say(`m${i % MEMBERS}`, 'coop', 'status');
    const report = await say(`m${i % MEMBERS}`, 'coop', 'report');
    for (const b of report.blocks) if (b.type === 'document' && b.whole) await writeDocument(app.documentSections(b.whole), path.join(dir, 'report.md'));
  }
  const m = Math.floor((Date.now() - started) / 60_000);
  if (m > minute) {
    minute = m;
    await sweep(app.deps);
    const rss = mb();
    if (minute > 1) worst = Math.max(worst, rss);
    console.log(`minute ${String(minute).padStart(3)}: ${i} commands, rss ${rss.toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`);
  }
  await new Promise((r) => setTimeout(r, 20));
}
await app.close();
rmSync(dir, { recursive: true, force: true });
const ok = worst <= 200;
console.log(`${ok ? 'ok  ' : 'MISS'} ${MINUTES} minutes of mixed commands at ${SERVICES} services (${i} commands): highest resident memory after the first minute ${worst.toFixed(0)} MB   target ≤ 200 MB`);
process.exitCode = ok ? 0 : 1;
