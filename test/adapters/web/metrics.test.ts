// /metrics as Prometheus users expect it: Node's own figures, the bot's commands,
// changes, notifications, jobs and build, and a text that promtool accepts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consolePlatform } from '../../../adapters/console/console.js';
import { createWebAdapter, type WebAdapter } from '../../../adapters/web/server.js';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { sweep } from '../../../src/scheduler/index.js';
import { VERSION } from '../../../src/version.js';
import { tempDir } from '../../helpers/tmp.js';

let core: App;
let web: WebAdapter;
let base: string;

beforeEach(async () => {
  core = await createApp({ config: loadConfig({ DATABASE_URL: `file:${path.join(tempDir(), 'bot.db')}`, COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
  web = createWebAdapter({ core, timezone: 'UTC', logger: silentLogger });
  base = `http://127.0.0.1:${await web.start(0)}`;
});
afterEach(async () => {
  await web.stop();
  await core.close();
});

const say = (who: string, group: 'service' | 'coop', text: string) => core.handle({ group, text, actor: { platform: 'console', externalId: who }, platform: consolePlatform });
const scrape = async () => (await fetch(`${base}/metrics`)).text();
/** The value of one sample line, e.g. `smb_votes_total{change="new"}`. */
const sample = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}()[\]|.+*?^$\\]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

describe('/metrics', () => {
  it('counts commands by outcome, changes, votes, polls by result, notifications and timed jobs', async () => {
    await say('admin', 'coop', 'member add @alice');
    await say('admin', 'coop', 'member add @bob');
    await say('alice', 'coop', 'poll Lunch at noon?');
    await say('alice', 'coop', 'vote 1 yes');
    await say('bob', 'coop', 'vote 1 yes');
    await say('bob', 'coop', 'vote 1 no'); // a change
    await say('bob', 'coop', 'vote 99 yes'); // refused: no such poll
    await say('admin', 'coop', 'close 1');
    await say('alice', 'service', 'frobnicate');
    await sweep(core.deps);

    const m = await scrape();
    expect(sample(m, 'smb_commands_total{command="coop vote",platform="console",outcome="ok"}')).toBe(3);
    expect(sample(m, 'smb_commands_total{command="coop vote",platform="console",outcome="refused"}')).toBe(1);
    expect(sample(m, 'smb_commands_total{command="service unknown",platform="console",outcome="refused"}')).toBe(1);
    expect(sample(m, 'smb_command_duration_seconds_count{command="coop poll",platform="console"}')).toBe(1);
    expect(sample(m, 'smb_votes_total{change="new"}')).toBe(2);
    expect(sample(m, 'smb_votes_total{change="changed"}')).toBe(1);
    expect(sample(m, 'smb_polls_opened_total{kind="general"}')).toBe(1);
    expect(m).toMatch(/^smb_polls_closed_total\{result="(passed|rejected|no-quorum|tie)"\} 1$/m);
    expect(sample(m, 'smb_changes_total{action="poll.opened"}')).toBe(1);
    expect(sample(m, 'smb_notifications_total{result="sent"}')).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'smb_job_duration_seconds_count{job="close-polls"}')).toBe(1);
    expect(sample(m, 'smb_job_last_success_timestamp_seconds{job="reckoning"}')).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(sample(m, 'smb_members')).toBe(3);
    expect(sample(m, 'smb_services{level="proposed"}')).toBe(0);
    expect(sample(m, `smb_build_info{version="${VERSION}",node="${process.version}"}`)).toBe(1);
    expect(m).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(m).toMatch(/^nodejs_eventloop_lag_seconds /m);
    // What people typed never becomes a label.
    expect(m).not.toContain('frobnicate');
    expect(m).not.toContain('Lunch');
  });

  it('passes promtool check metrics', async () => {
    await say('admin', 'coop', 'member add @alice');
    const text = await scrape();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(r.error).toBeUndefined(); // promtool is installed (Debian's prometheus; .ci/run installs it)
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
  });
});
