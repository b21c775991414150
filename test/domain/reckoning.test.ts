import { describe, expect, it } from 'vitest';
import { loadCatalogueFile } from '../../src/catalogue-file.js';
import { nextMeetingAfter } from '../../src/domain/meeting.js';
import { planReckoning, type ReckoningService } from '../../src/domain/reckoning.js';
import type { Level } from '../../src/domain/service.js';

const catalogue = loadCatalogueFile('catalogues/coop-default.json');
const metAll = (level: Level): Set<string> =>
  new Set(
    level === 'alpha' || level === 'beta' || level === 'live'
      ? (['alpha', 'beta', 'live'] as const).slice(0, ['alpha', 'beta', 'live'].indexOf(level) + 1).flatMap((l) => catalogue.levels[l].map((r) => r.key))
      : [],
  );
const svc = (id: number, name: string, level: Level, updated = true): ReckoningService => ({ id, name, level, met: metAll(level), updated });

// vm ← postgres ← wiki ← chat: three layers built on vm.
const graph = new Map([
  ['vm', []],
  ['postgres', ['vm']],
  ['wiki', ['postgres']],
  ['chat', ['wiki']],
  ['pad', []],
]);
const services = [svc(1, 'vm', 'live'), svc(2, 'postgres', 'beta'), svc(3, 'wiki', 'beta'), svc(4, 'chat', 'alpha'), svc(5, 'pad', 'proposed')];

describe('the reckoning (R10)', () => {
  it('descends one level however many deficiencies, and scrutinises every layer above', () => {
    const plan = planReckoning({ kind: 'egm', services, due: [{ id: 10, serviceId: 1, requirementKey: null }, { id: 11, serviceId: 1, requirementKey: null }], graph, catalogue });
    expect(plan.descents).toEqual([{ serviceId: 1, name: 'vm', from: 'live', to: 'beta', deficiencyIds: [10, 11] }]);
    expect(plan.lapsed).toEqual([10, 11]);
    expect(plan.opened.map((o) => [o.name, o.source])).toEqual([['chat', 'scrutiny'], ['postgres', 'scrutiny'], ['wiki', 'scrutiny']]);
    expect(plan.opened[0]?.description).toContain('built on vm');
  });

  it('keeps a deficiency at proposed open past the meeting: there is nothing to descend', () => {
    const plan = planReckoning({ kind: 'egm', services, due: [{ id: 12, serviceId: 5, requirementKey: null }], graph, catalogue });
    expect(plan.descents).toEqual([]);
    expect(plan.lapsed).toEqual([]);
  });

  it('records the requirements named by the deficiencies of a descent as unmet', () => {
    const due = [{ id: 10, serviceId: 1, requirementKey: 'live.monitoring' }, { id: 11, serviceId: 1, requirementKey: null }];
    const plan = planReckoning({ kind: 'egm', services, due, graph, catalogue });
    expect(plan.unmet).toEqual([{ serviceId: 1, requirementKey: 'live.monitoring', deficiencyId: 10 }]);
  });

  it('at an AGM opens deficiencies for missed updates and unmet requirements (R9, R11)', () => {
    const wiki = { ...svc(3, 'wiki', 'beta', false) };
    const chat = { ...svc(4, 'chat', 'alpha'), met: new Set<string>() };
    const plan = planReckoning({ kind: 'agm', services: [svc(1, 'vm', 'live'), wiki, chat, svc(5, 'pad', 'proposed', false)], due: [], graph, catalogue });
    expect(plan.opened.map((o) => [o.name, o.source])).toEqual([['wiki', 'missed-update'], ['chat', 'requirements']]);
    expect(plan.opened[1]?.description).toContain('alpha.kind-decided');
  });

  it('asks nothing of annual updates at an EGM', () => {
    expect(planReckoning({ kind: 'egm', services: services.map((s) => ({ ...s, updated: false })), due: [], graph, catalogue }).opened).toEqual([]);
  });
});

describe('grace periods (R7)', () => {
  const m = (id: number, at: string, status: 'scheduled' | 'held' | 'cancelled' = 'scheduled', kind: 'agm' | 'egm' = 'agm') => ({ id, kind, at: new Date(at), status });
  it('run to the next scheduled meeting after the report', () => {
    const meetings = [m(1, '2027-06-01'), m(2, '2027-03-01', 'scheduled', 'egm'), m(3, '2027-02-01', 'cancelled'), m(4, '2026-06-01', 'held')];
    expect(nextMeetingAfter(meetings, new Date('2027-01-10'))?.id).toBe(2);
    expect(nextMeetingAfter(meetings, new Date('2027-01-10'), 'agm')?.id).toBe(1);
    expect(nextMeetingAfter(meetings, new Date('2027-07-01'))).toBeNull();
  });
});

describe('the reckoning at a real co-op’s size', () => {
  it('plans 100 descents over 10,000 services and 12,000 uses, each dependent scrutinised once with all its causes', () => {
    // 100 infrastructure services; every other service uses one or two of them, some through a middle layer.
    const many: ReckoningService[] = [];
    const edges = new Map<string, string[]>();
    for (let i = 0; i < 10_000; i++) {
      const name = `s${i}`;
      many.push({ id: i + 1, name, level: i < 100 ? 'live' : 'beta', met: new Set(), updated: true });
      if (i < 100) edges.set(name, []);
      else if (i < 2000) edges.set(name, [`s${i % 100}`, `s${(i * 7) % 100}`]);
      else edges.set(name, [`s${100 + (i % 1900)}`]);
    }
    const due = Array.from({ length: 100 }, (_, i) => ({ id: 1000 + i, serviceId: i + 1, requirementKey: 'live.monitoring' }));
    const plan = planReckoning({ kind: 'egm', services: many, due, graph: edges, catalogue });
    expect(plan.descents).toHaveLength(100);
    expect(plan.unmet).toHaveLength(100);
    const scrutiny = plan.opened.filter((o) => o.source === 'scrutiny');
    expect(scrutiny).toHaveLength(9900);
    expect(new Set(scrutiny.map((o) => o.name)).size).toBe(9900);
    // s107 uses s7 and s49 (7·107 mod 100), both descended.
    expect(scrutiny.find((o) => o.name === 's107')?.description).toBe('Under scrutiny: it is built on s49, s7, which descended a level at this meeting.');
  });
});
