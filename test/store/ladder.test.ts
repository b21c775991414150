// What a reckoning and a nudge weigh of every service (ServiceRepo.ladder): one row a
// service, its maintainers and the requirements it meets aggregated by the engine
// (dialect.ts), so both engines must give the same answer. Runs on both engines.
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { databaseUrl } from '../helpers/engine.js';
import { tempDir } from '../helpers/tmp.js';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const person = (name: string) => ({ name, identity: { platform: 'console' as const, externalId: name }, isMember: true, isBoard: false, at: new Date('2026-01-01T00:00:00Z') });

describe('the ladder of services', () => {
  it('gives each service its maintainers, longest-serving first, and the requirements it meets or deviates from', async () => {
    app = await createApp({ config: loadConfig({ DATABASE_URL: databaseUrl(tempDir()), COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
    const at = (day: number) => new Date(Date.UTC(2026, 0, day));
    const ids = await app.store.write(async (r) => {
      const [ann, bob, cy] = [await r.members.create(person('ann')), await r.members.create(person('bob')), await r.members.create(person('cy'))];
      const wiki = await r.services.create({ name: 'wiki', kind: 'user', summary: 'Pages', at: at(1), maintainerId: cy.id });
      await r.services.addMaintainer(wiki.id, ann.id, at(3));
      await r.services.addMaintainer(wiki.id, bob.id, at(2));
      const vm = await r.services.create({ name: 'vm', kind: 'infrastructure', summary: 'Machines', at: at(1), maintainerId: bob.id });
      const pad = await r.services.create({ name: 'pad', kind: 'user', summary: 'Notes', at: at(1), maintainerId: ann.id });
      await r.services.setUses(wiki.id, [vm.id, pad.id]);
      await r.services.removeMaintainer(pad.id, ann.id);
      for (const [key, status] of [['alpha.plan', 'met'], ['alpha.principles', 'deviation'], ['alpha.kind-decided', 'unmet']] as const) {
        await r.assessments.upsert(wiki.id, { requirementKey: key, status, note: 'Assessed', at: at(4), by: ann.id });
      }
      return { ann: ann.id, bob: bob.id, cy: cy.id, wiki: wiki.id, vm: vm.id, pad: pad.id };
    });
    const ladder = await app.store.read((r) => r.services.ladder({ met: true, uses: true }));
    expect(ladder.map((s) => [s.name, s.maintainerIds, [...s.met].sort(), [...s.usesIds].sort((a, b) => a - b)])).toEqual([
      ['pad', [], [], []],
      ['vm', [ids.bob], [], []],
      ['wiki', [ids.cy, ids.bob, ids.ann], ['alpha.plan', 'alpha.principles'], [ids.vm, ids.pad].sort((a, b) => a - b)],
    ]);
    // A nudge asks for neither.
    expect((await app.store.read((r) => r.services.ladder({ met: false }))).map((s) => [s.met, s.usesIds])).toEqual([[[], []], [[], []], [[], []]]);
  });
});
