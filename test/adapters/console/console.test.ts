import { createServer } from 'node:http';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { consoleSession, dumpDatabase } from '../../helpers/console.js';
import { tempDir } from '../../helpers/tmp.js';
import { databaseUrl } from '../../helpers/engine.js';

const SETUP = [
  '/coop member add @alice',
  '/coop member add @bob',
  'as alice',
  '/service propose vm infrastructure "Virtual machines"',
  '/service propose wiki user A wiki for the co-op',
];

describe('console adapter on a real database', () => {
  it('takes a service from proposal to retirement', async () => {
    const dir = tempDir();
    const out = await consoleSession(dir, [
      ...SETUP,
      '/service set wiki uses vm',
      '/service set wiki provides Pages anyone in the co-op can edit',
      '/service assess wiki alpha.plan met',
      '/service assess wiki alpha.kind-decided deviation Decided at the founding meeting',
      '/service level wiki',
      '/service info wiki',
      '/service maintainer wiki add @bob',
      'as bob',
      '/service maintainer wiki remove @alice',
      '/service info wiki',
      '/service retire wiki Replaced by the new docs site',
      '/service level wiki',
    ]);
    expect(out).toContain('New service wiki (User service) proposed by @alice: A wiki for the co-op');
    expect(out).toContain('wiki now uses vm.');
    expect(out).toContain('wiki: `alpha.plan` (Plan of what is needed) is now met.');
    expect(out).toContain('(only @alice sees this) wiki is proposed since');
    expect(out).toMatch(/Maintainers: +@alice\n/);
    expect(out).toContain('`alpha.kind-decided` Kind decided: deviation — Decided at the founding meeting');
    expect(out).toContain('@bob now maintains wiki.');
    expect(out).toContain('@alice no longer maintains wiki.');
    expect(out).toMatch(/Maintainers: +@bob\n/);
    expect(out).toContain('wiki is retired (it was proposed): Replaced by the new docs site');
    expect(out).toContain('(only @bob sees this) wiki is retired since');
    // Every change is in the audit trail, with who and from where.
    const audit = dumpDatabase(dir).AuditEvent as { action: string; actor: string; platform: string; subjectId: string }[];
    expect(audit.filter((a) => a.subjectId === 'wiki').map((a) => `${a.actor} ${a.action}`)).toEqual([
      'console:alice service.proposed',
      'console:alice service.uses-set',
      'console:alice service.provides-set',
      'console:alice service.assessed',
      'console:alice service.assessed',
      'console:alice service.maintainer-added',
      'console:bob service.maintainer-removed',
      'console:bob service.retired',
    ]);
    expect(audit.filter((a) => a.subjectId === 'wiki').every((a) => a.platform === 'console')).toBe(true);
  });

  it.each([
    ['a bad name', '/service propose Wiki2! user Nope', /`Wiki2!` is not right for <name>: expected a service name/],
    ['an unknown service', '/service level ghost', /There is no service named `ghost`/],
    ['an unknown kind', '/service propose pad gadget Pads', /`gadget` is not right for <kind>: expected a kind: user, coop, infrastructure/],
    ['a missing argument', '/service propose pad user', /Missing <summary…>/],
    ['a forbidden action', '/service retire vm I do not like it', /Only maintainers of vm or the board can use `\/service retire` on it/],
    ['a cycle in uses', '/service set vm uses wiki', /That would make a cycle: vm → wiki → vm/],
    ['an unknown command', '/service destroy vm', /There is no command `\/service destroy`/],
    ['an unknown requirement', '/service assess vm alpha.nope met', /approved for the next meeting have `alpha.nope`/],
    ['removing the last maintainer', '/service maintainer vm remove @alice', /last maintainer of `vm`/],
    ['a non-member mention', '/coop member add bob', /expected a person/],
  ])('answers %s privately and changes nothing', async (_what, bad, message) => {
    const dir = tempDir();
    // bob is a member but maintains nothing; alice maintains vm and wiki, and wiki uses vm.
    await consoleSession(dir, [...SETUP, '/service set wiki uses vm']);
    const before = dumpDatabase(dir);
    const who = bad.includes('retire') || bad.includes('member add') ? 'bob' : 'alice';
    const out = await consoleSession(dir, [bad], { user: who });
    expect(out).toMatch(message);
    expect(out.startsWith(`(only @${who} sees this) ✗ `)).toBe(true);
    expect(dumpDatabase(dir)).toEqual(before);
  });

  it('shows the requirements and help', async () => {
    const out = await consoleSession(tempDir(), ['/coop requirements beta', '/coop help', 'hello']);
    expect(out).toContain('Requirements in force: Developing services, version 2017.1');
    expect(out).toContain('`beta.co-maintainers` Co-maintainers found');
    expect(out).not.toContain('live.runbooks');
    expect(out).toContain('/coop member add|remove <user>');
    expect(out).toContain('✗ Commands start with /service or /coop');
  });

  it('puts a changed catalogue to the co-op, shows it beside the one in force, and announces it once', async () => {
    const dir = tempDir();
    await consoleSession(dir, ['/coop requirements']);
    const first = await consoleSession(dir, ['/coop requirements alpha'], { env: { REQUIREMENTS_FILE: 'catalogues/iterations.json' } });
    expect(first).toContain('[to governance room] The requirements file differs from the requirements in force (Developing services, version 2017.1).');
    expect(first).toContain('Adopt the requirements "Service maturity iterations", version 1?');
    expect(first).toContain('alpha: added Provisioning (alpha.provisioning)');
    expect(first).toContain('alpha: removed Plan of what is needed (alpha.plan)');
    expect(first).toContain('Requirements in force: Developing services');
    expect(first).toContain('Proposed: Service maturity iterations, version 1');
    expect(first).toContain('the co-op decides it in poll #1 (`/coop vote 1 yes|no|abstain`).');
    const again = await consoleSession(dir, [], { env: { REQUIREMENTS_FILE: 'catalogues/iterations.json' } });
    expect(again).not.toContain('differs');
  });
});

describe('npm start with no chat credentials', () => {
  const start = (dir: string, input: string, env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      input,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl(dir), ...env },
      timeout: 60_000,
    });

  it('opens the console, ends at end of input, and a restarted bot finds everything', () => {
    const dir = tempDir();
    const first = start(dir, '/service propose wiki user A wiki\n');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('New service wiki (User service) proposed by @admin');
    const second = start(dir, '/service level wiki\n');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('wiki is proposed since');
  });

  it('stops at start on a bad setting, naming it', () => {
    const r = start(tempDir(), '', { POLL_DURATION: 'forever' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('POLL_DURATION: expected a duration such as 7d, 36h, 90m or 2w');
  });

  it.each([
    ['a path through a file', 'file:/etc/hostname/bot.db', 'part of the path is a file, not a directory'],
    ['a path under /proc', 'file:/proc/x/bot.db', 'it is on a system pseudo-filesystem'],
    ['a device', 'file:/dev/null', 'it is not a regular file'],
  ])('stops within seconds on a database that cannot be made (%s), in one line naming DATABASE_URL', (_what, url, reason) => {
    const started = Date.now();
    const r = start(tempDir(), '', { DATABASE_URL: url });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n').filter((l) => !l.includes('"level":"info"'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`DATABASE_URL: cannot open the database at ${url.slice('file:'.length)}: ${reason}`);
    expect(r.stderr).not.toMatch(/\n\s+at |node:fs|Error:/);
  });

  it('starts the compiled bot without type-checking when nothing changed since the build', () => {
    const dir = tempDir();
    const run = () =>
      spawnSync(process.execPath, ['scripts/start.mjs'], {
        input: '/service list\n',
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl(dir) },
        timeout: 120_000,
      });
    run(); // builds if an earlier edit made the build stale
    const second = run();
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('No services yet.');
    expect(second.stderr).not.toContain('compiling');
  });

  it('never exits silently: with nothing to read and no platform it says what to set, non-zero', () => {
    const r = start(tempDir(), '');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('The bot has nothing to do: no chat platform is configured and standard input is empty. Set SLACK_BOT_TOKEN');
  });

  it('stops in one line naming WEB_PORT when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const r = start(tempDir(), '/service list\n', { WEB_PORT: String(port) });
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split('\n').filter((l) => !l.includes('"level":"info"'));
      expect(lines).toEqual([`The bot cannot start: WEB_PORT: the web pages cannot listen on 127.0.0.1 port ${port} (EADDRINUSE)`]);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it('warns of a hosting platform’s variable that shares a prefix, and still refuses a misspelling of its own', () => {
    const ok = start(tempDir(), '/service list\n', { WEB_CONCURRENCY: '4', SLACK_CLIENT_ID: '1.2' });
    expect(ok.status).toBe(0);
    expect(ok.stderr).toContain('WEB_CONCURRENCY is not a setting of this bot and is ignored');
    const typo = start(tempDir(), '', { POLL_DURATON: '3d' });
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain('POLL_DURATON: not a setting of this bot; did you mean POLL_DURATION?');
  });

  it('stops at start on a broken catalogue, naming the file', () => {
    const r = start(tempDir(), '', { REQUIREMENTS_FILE: 'package.json' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('REQUIREMENTS_FILE (package.json) is not a valid requirement catalogue');
  });
});
