// What a general meeting does to services (R9, R10, R11), decided as a plain function.
import type { Catalogue } from './catalogue.js';
import type { MeetingKind } from './meeting.js';
import { levelBelow, VERIFIED_LEVELS, type LadderLevel, type Level, type VerifiedLevel } from './service.js';
import { dependentsWithCauses, type UsesGraph } from './uses-graph.js';

/** Services at these levels come under scrutiny when something they are built on changes (R10). */
export function underScrutiny(level: Level): boolean {
  return level !== 'retired' && level !== 'proposed';
}

/** "Under scrutiny: it is built on vm, which descended a level at this meeting." */
export function scrutinyText(causes: readonly string[], what: string): string {
  return `Under scrutiny: it is built on ${causes.join(', ')}, which ${what}.`;
}

export interface ReckoningService {
  id: number;
  name: string;
  level: Level;
  /** The requirement keys it meets, or deviates from as recorded (what R11 weighs). */
  met: ReadonlySet<string>;
  /** Whether it gave its annual update for this meeting (AGMs only). */
  updated: boolean;
}

export interface ReckoningInput {
  kind: MeetingKind;
  services: readonly ReckoningService[];
  /** Open deficiencies whose grace ends at this meeting. */
  due: readonly { id: number; serviceId: number; requirementKey: string | null }[];
  graph: UsesGraph;
  /** The requirements in force before this meeting (a catalogue adopted at it applies from the next AGM). */
  catalogue: Catalogue;
}

export interface Descent {
  serviceId: number;
  name: string;
  from: Level;
  to: LadderLevel;
  deficiencyIds: number[];
}

export interface NewDeficiency {
  serviceId: number;
  name: string;
  source: 'missed-update' | 'requirements' | 'scrutiny';
  description: string;
}

export interface ReckoningPlan {
  descents: Descent[];
  /**
   * Deficiencies whose grace ended here: they lapse (and caused a descent). Those on a
   * proposed service stay open until resolved: there is no level below to descend to.
   */
  lapsed: number[];
  /** Requirements named by the deficiencies of a descent: recorded unmet, so that the next request says what to reassess. */
  unmet: { serviceId: number; requirementKey: string; deficiencyId: number }[];
  opened: NewDeficiency[];
}

const isVerified = (l: Level): l is VerifiedLevel => (VERIFIED_LEVELS as readonly string[]).includes(l);

export function planReckoning(input: ReckoningInput): ReckoningPlan {
  const byId = new Map(input.services.map((s) => [s.id, s]));
  const dueByService = new Map<number, number[]>();
  for (const d of input.due) dueByService.set(d.serviceId, [...(dueByService.get(d.serviceId) ?? []), d.id]);

  // R10: one level down per meeting, whatever the number of deficiencies.
  const descents: Descent[] = [];
  for (const [serviceId, ids] of dueByService) {
    const s = byId.get(serviceId);
    const to = s ? levelBelow(s.level) : null;
    if (s && to) descents.push({ serviceId, name: s.name, from: s.level, to, deficiencyIds: ids });
  }
  descents.sort((a, b) => a.name.localeCompare(b.name));
  const descended = new Set(descents.map((d) => d.name));

  const opened: NewDeficiency[] = [];
  // R10: everything built on a descended service, directly or not, comes under scrutiny.
  const byName = new Map(input.services.map((s) => [s.name, s]));
  for (const [name, causes] of dependentsWithCauses(input.graph, [...descended])) {
    const s = byName.get(name);
    if (!s || !underScrutiny(s.level)) continue;
    opened.push({ serviceId: s.id, name, source: 'scrutiny', description: scrutinyText(causes, 'descended a level at this meeting') });
  }

  if (input.kind === 'agm') {
    for (const s of input.services) {
      if (!isVerified(s.level) || descended.has(s.name)) continue;
      // R9: no annual update by the AGM.
      if (!s.updated) opened.push({ serviceId: s.id, name: s.name, source: 'missed-update', description: 'No annual update was given for this AGM.' });
      // R11: requirements in force before this AGM must be met by it.
      const missing = input.catalogue.levels[s.level].filter((r) => !s.met.has(r.key)).map((r) => r.key);
      if (missing.length > 0) {
        opened.push({ serviceId: s.id, name: s.name, source: 'requirements', description: `Does not meet the ${s.level} requirements in force: ${missing.join(', ')}.` });
      }
    }
  }
  const descentOf = new Set(descents.map((d) => d.serviceId));
  const unmet = input.due
    .filter((d): d is typeof d & { requirementKey: string } => d.requirementKey !== null && descentOf.has(d.serviceId))
    .map((d) => ({ serviceId: d.serviceId, requirementKey: d.requirementKey, deficiencyId: d.id }));
  const lapsed = input.due.filter((d) => byId.get(d.serviceId)?.level !== 'proposed').map((d) => d.id);
  return { descents, lapsed, unmet, opened };
}
