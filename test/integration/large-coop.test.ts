// A co-op of 50,000 services, seeded straight into the schema as it would be after a few
// years (uses edges, assessments, open and past deficiencies, open polls with votes, an
// AGM ahead within the nudge window, audit history), run as `npm start` runs it (the same
// memory limits): the start's timed work (a nudge pass over every service) and the heavy
// commands finish, and the process lives.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

describe('a co-op of 50,000 services', () => {
  it('runs the nudge pass and /coop report, /coop agenda, /coop status, /service list and /coop polls under npm start’s memory limits, and lives', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bot.db');
    const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'bench/seed.ts', file, '50000', '1000', '100000'], { encoding: 'utf8' });
    expect(seeded.status, seeded.stderr).toBe(0);
    // The AGM ahead moves into the nudge window: the start's pass nudges every maintainer.
    const db = new Sqlite(file);
    db.prepare("UPDATE Meeting SET at = ? WHERE status = 'scheduled'").run(Date.now() + 7 * 86_400_000);
    db.close();

    const child = spawn('npm', ['start', '--silent'], { env: { ...process.env, DATABASE_URL: `file:${file}`, COOP_BOARD: 'console:admin', LOG_LEVEL: 'warn', CI: 'true' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.stdin.end(['/coop report', '/coop agenda', '/coop status', '/service list', '/service list 1250', '/coop polls', '/service info svc-49999', ''].join('\n'));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(err).not.toContain('heap out of memory');
    expect(code, err.slice(-2000)).toBe(0);
    expect(out).toContain('The whole document is in');
    expect(out).toContain('Services 1–40 of 50000');
    expect(out).toContain('Services 49961–50000 of 50000');
    expect(out).toContain('svc-49999');
    // Every maintainer of a verified service (the seed gives a quarter of the members only
    // proposed ones) was nudged, once; the room's nudge lists 20 and counts the rest.
    expect(out.split('Please give the annual update for').length - 1).toBe(750);
    // Each maintains 50 of them: one message each, its list capped like every list.
    expect(out.split('Please give the annual update for these 50 services').length - 1).toBe(750);
    expect(out).not.toContain('svc-49999, ');
    expect(out).toContain('Annual updates still missing for 37500 services');
    expect(out).toContain('And 37480 more.');
    // The agenda shows twenty of each list and counts the rest.
    expect(out).toMatch(/Services without their annual update:\n( {2}- svc-\d+ \((alpha|beta|live)\)\n){20}And 37480 more\. All of them: `\/coop report`\./);
  }, 240_000);
});
