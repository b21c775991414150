import { describe, expect, it } from 'vitest';
import { fakeCore } from '../fakes/core.js';

async function coop() {
  const core = await fakeCore();
  await core.run('admin', '/coop member add @alice');
  await core.run('admin', '/coop member add @bob');
  return core;
}

describe('proposing and describing services', () => {
  it('starts a proposed service with its proposer as maintainer, and records it', async () => {
    const { run, store } = await coop();
    const r = await run('alice', '/service propose wiki user A wiki for the co-op');
    expect(r).toMatchObject({ visibility: 'public', outcome: 'ok' });
    expect(r.text).toContain('New service wiki (User service) proposed by @alice');
    const level = await run('carol', '/service level wiki');
    expect(level.text).toContain('wiki is proposed since 1 Mar 2026, 09:00 UTC.');
    expect(level.text).toContain('What you can expect: An idea being worked on.');
    const audit = await store.read((x) => x.audit.forSubject('service', 'wiki'));
    expect(audit.map((a) => a.action)).toEqual(['service.proposed']);
    expect(audit[0]).toMatchObject({ actor: 'console:alice', platform: 'console' });
  });

  it('refuses a second service with the same name', async () => {
    const { run, store } = await coop();
    await run('alice', '/service propose wiki user A wiki');
    const r = await run('bob', '/service propose wiki coop Another');
    expect(r.text).toContain('A service named `wiki` already exists');
    expect(store.state.services).toHaveLength(1);
  });

  it('only lets members propose', async () => {
    const { run, store } = await coop();
    const r = await run('mallory', '/service propose wiki user A wiki');
    expect(r.text).toContain('Only co-op members can use `/service propose`');
    expect(store.state.services).toHaveLength(0);
  });

  it('records what a service uses and refuses cycles and unknown services', async () => {
    const { run, store } = await coop();
    await run('alice', '/service propose vm infrastructure Virtual machines');
    await run('alice', '/service propose postgres infrastructure Databases');
    await run('alice', '/service propose wiki user A wiki');
    expect((await run('alice', '/service set postgres uses vm')).text).toContain('postgres now uses vm.');
    expect((await run('alice', '/service set wiki uses postgres, vm')).text).toContain('wiki now uses postgres, vm.');
    const before = structuredClone(store.state);
    const cycle = await run('alice', '/service set vm uses wiki');
    expect(cycle.text).toContain('That would make a cycle: vm → wiki → postgres → vm.');
    expect((await run('alice', '/service set wiki uses ghost')).text).toContain('No service is named ghost. Propose it first, or check the names with `/service list`.');
    expect((await run('alice', '/service set wiki uses wiki')).text).toContain('`wiki` cannot use itself.');
    expect(store.state).toEqual(before);
    const info = await run('bob', '/service info postgres');
    expect(info.text).toMatch(/Used by: +wiki/);
  });

  it('names the first twenty services a service is used by, and counts the rest', async () => {
    const { run } = await coop();
    await run('alice', '/service propose auth infrastructure Sign-in');
    const users = Array.from({ length: 25 }, (_, i) => `app${String(i).padStart(2, '0')}`);
    for (const u of users) {
      await run('alice', `/service propose ${u} user An app`);
      await run('alice', `/service set ${u} uses auth`);
    }
    const info = await run('bob', '/service info auth');
    expect(info.text).toMatch(new RegExp(`Used by: +${users.slice(0, 20).join(', ')} and 5 more`));
  });

  it('lets maintainers and the board change the card, and nobody else', async () => {
    const { run } = await coop();
    await run('alice', '/service propose wiki user A wiki');
    expect((await run('bob', '/service set wiki summary Mine now')).text).toContain('Only maintainers of wiki or the board');
    expect((await run('admin', '/service set wiki provides "Pages anyone can edit"')).text).toContain("wiki's provides is now: Pages anyone can edit");
    expect((await run('alice', '/service info wiki')).text).toMatch(/Provides: +Pages anyone can edit/);
  });
});

describe('maintainers', () => {
  it('adds members only and never removes the last maintainer', async () => {
    const { run } = await coop();
    await run('alice', '/service propose wiki user A wiki');
    expect((await run('alice', '/service maintainer wiki add @zed')).text).toContain('not on the roster');
    expect((await run('alice', '/service maintainer wiki add @bob')).text).toContain('@bob now maintains wiki.');
    expect((await run('alice', '/service maintainer wiki add @bob')).text).toContain('already maintains');
    expect((await run('bob', '/service maintainer wiki remove @alice')).text).toContain('@alice no longer maintains wiki.');
    expect((await run('bob', '/service maintainer wiki remove @bob')).text).toContain('last maintainer of `wiki`');
  });
});

describe('assessments (R4)', () => {
  it('records met, unmet and deviation with its reason, and shows them on the card', async () => {
    const { run } = await coop();
    await run('alice', '/service propose wiki user A wiki');
    expect((await run('alice', '/service assess wiki alpha.plan met')).text).toContain('`alpha.plan` (Plan of what is needed) is now met');
    expect((await run('alice', '/service assess wiki alpha.principles deviation')).text).toContain('A deviation needs its reason');
    await run('alice', '/service assess wiki alpha.principles deviation Card written at the first meeting');
    expect((await run('alice', '/service assess wiki alpha.plan unmet Plan lost')).text).toContain('is now unmet (was met)');
    const info = await run('bob', '/service info wiki');
    expect(info.text).toContain('`alpha.plan` Plan of what is needed: unmet — Plan lost');
    expect(info.text).toContain('`alpha.principles` Aligned with co-op principles: deviation — Card written at the first meeting');
    expect(info.text).toContain('`alpha.idea-validated` Idea validated: not assessed');
  });

  it('refuses keys that are not in the catalogue, and non-maintainers', async () => {
    const { run, store } = await coop();
    await run('alice', '/service propose wiki user A wiki');
    expect((await run('alice', '/service assess wiki beta.unicorns met')).text).toContain('approved for the next meeting have `beta.unicorns`');
    expect((await run('alice', '/service assess wiki plan met')).text).toContain('expected a requirement key');
    expect((await run('admin', '/service assess wiki alpha.plan met')).text).toContain('Only maintainers of wiki can use');
    expect(store.state.assessments).toHaveLength(0);
  });
});

describe('retiring', () => {
  it('retires, keeps the record readable, and refuses further changes', async () => {
    const { run } = await coop();
    await run('alice', '/service propose pad user Pads');
    const r = await run('alice', '/service retire pad Nobody used it');
    expect(r.text).toContain('pad is retired (it was proposed): Nobody used it');
    expect((await run('bob', '/service level pad')).text).toContain('Why it was retired: Nobody used it');
    expect((await run('alice', '/service set pad summary Back')).text).toContain('`pad` is retired');
    expect((await run('bob', '/service list')).text).not.toContain('pad');
    expect((await run('bob', '/service list retired')).text).toContain('pad');
  });
});

describe('roster and board', () => {
  it('keeps at least one board member and lists the roster', async () => {
    const { run } = await coop();
    expect((await run('admin', '/coop board remove @admin')).text).toContain('last board member');
    expect((await run('admin', '/coop board add @bob')).text).toContain('@bob is now on the board.');
    expect((await run('bob', '/coop board remove @admin')).text).toContain('@admin is no longer on the board.');
    const members = await run('bob', '/coop members');
    expect(members.text).toContain('@bob (board)');
    expect(members.text).toContain('@alice');
    expect((await run('alice', '/coop members')).text).toContain('Only the board');
  });

  it('reads mentions from every platform', async () => {
    const { run } = await coop();
    expect((await run('admin', '/coop member add <@U0ABC123>')).outcome).toBe('ok');
    expect((await run('admin', '/coop member add @dana:example.org')).outcome).toBe('ok');
    expect((await run('admin', '/coop member add dana')).text).toContain('expected a person');
  });
});
