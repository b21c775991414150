// R9, R10, R11 at a general meeting: descents, scrutiny, missed updates, requirements,
// the new catalogue. One transaction per meeting; running it again changes nothing.
import type { CoreDeps } from '../context.js';
import { MEETING_TITLES, nextMeetingAfter } from '../domain/meeting.js';
import { planReckoning, type ReckoningPlan } from '../domain/reckoning.js';
import type { MeetingRecord, MemberRecord } from '../ports.js';
import { formatDateTime } from '../reply/format.js';
import { cappedList, cmd, heading, para, publicReply, type Block } from '../reply/model.js';
import { systemEntry } from './audit.js';
import { storedCatalogue } from './bootstrap.js';
import { byMeeting } from '../reply/deadline.js';
import { sendClaimed, type ClaimedSend } from './notify.js';
import { watcherSends } from './watchers.js';

type Deps = Pick<CoreDeps, 'store' | 'clock' | 'notifier' | 'logger' | 'settings'>;

/** A service that meets no requirement (most, at an EGM, where none are read). */
const NONE_MET: ReadonlySet<string> = new Set();

export interface ReckoningDone {
  meeting: MeetingRecord;
  plan: ReckoningPlan;
  /** Ids of the deficiencies opened, in the order of plan.opened. */
  openedIds: number[];
  nextMeeting: MeetingRecord | null;
  catalogue: { name: string; version: string } | null;
  maintainers: Map<string, MemberRecord[]>;
  /** Messages to the watchers of the services concerned, claimed with the reckoning. */
  watcherSends: ClaimedSend[];
}

export async function runReckoning(deps: Deps, meetingId: number): Promise<ReckoningDone | null> {
  const now = deps.clock.now();
  const done = await deps.store.write(async (r): Promise<ReckoningDone | null> => {
    const meeting = await r.meetings.byId(meetingId);
    if (!meeting || meeting.status !== 'scheduled' || meeting.reckonedAt || meeting.at.getTime() > now.getTime()) return null;
    const entry = (action: string, subject: { type: string; id: string | number }, detail: Record<string, unknown> = {}) =>
      systemEntry(now, 'reckoning', action, subject, { meetingId, ...detail });
    // What the plan weighs, and no more: each service's id, name, level and maintainers'
    // ids (with the requirements each meets only for an AGM, which checks those in force, R11).
    const [services, due, current, pending, updates] = await Promise.all([
      r.services.ladder({ met: meeting.kind === 'agm', uses: true }),
      r.deficiencies.dueAt(meeting.id),
      r.catalogues.withStatus('current'),
      r.catalogues.withStatus('pending'),
      meeting.kind === 'agm' ? r.updates.givenFor(meeting.id) : Promise.resolve(new Set<number>()),
    ]);
    if (!current) throw new Error('no current catalogue');
    // What each service uses, by name (R10 walks it backwards from what descended).
    const nameOf = new Map(services.map((s) => [s.id, s.name]));
    const graph = new Map(services.map((s) => [s.name, s.usesIds.flatMap((id) => nameOf.get(id) ?? [])]));
    const plan = planReckoning({
      kind: meeting.kind,
      services: services.map((s) => ({ id: s.id, name: s.name, level: s.level, met: s.met.length === 0 ? NONE_MET : new Set(s.met), updated: updates.has(s.id) })),
      due,
      graph,
      catalogue: storedCatalogue(current),
    });
    const title = `${MEETING_TITLES[meeting.kind]} of ${formatDateTime(meeting.at, deps.settings.timezone)}`;
    for (const d of plan.descents) {
      await r.services.setLevel(d.serviceId, d.to, meeting.at);
      await r.services.recordLevelChange(d.serviceId, {
        from: d.from, to: d.to, at: meeting.at, pollId: null, meetingId: meeting.id,
        reason: `descended at the ${title}: deficiencies ${d.deficiencyIds.map((id) => `#${id}`).join(', ')} were not resolved in time`,
      });
      await r.audit.record(entry('service.descended', { type: 'service', id: d.name }, { from: d.from, to: d.to, deficiencies: d.deficiencyIds }));
    }
    const descentOf = new Map(plan.descents.map((x) => [x.serviceId, x]));
    for (const u of plan.unmet) {
      const d = descentOf.get(u.serviceId);
      await r.assessments.upsert(u.serviceId, {
        requirementKey: u.requirementKey,
        status: 'unmet',
        note: `deficiency #${u.deficiencyId} was not resolved by the ${title}, and the service descended${d ? ` to ${d.to}` : ''}`,
        at: meeting.at,
        by: null,
      });
      await r.audit.record(entry('assessment.recorded', { type: 'service', id: d?.name ?? u.serviceId }, { requirementKey: u.requirementKey, status: 'unmet', deficiency: u.deficiencyId }));
    }
    for (const id of plan.lapsed) {
      await r.deficiencies.lapse(id, meeting.at);
      await r.audit.record(entry('deficiency.lapsed', { type: 'deficiency', id }));
    }
    await r.meetings.update(meeting.id, { status: 'held', reckonedAt: now });
    // New deficiencies run to the next meeting after this one.
    const nextMeeting = nextMeetingAfter(await r.meetings.list(), meeting.at);
    // Scrutiny can open thousands (every service built on one that descended): written
    // together, a hundred rows to a statement.
    const openedIds = await r.deficiencies.createMany(
      plan.opened.map((o) => ({ serviceId: o.serviceId, requirementKey: null, description: o.description, source: o.source, reportedBy: null, reportedAt: meeting.at, graceMeetingId: nextMeeting?.id ?? null })),
    );
    await r.audit.recordMany(plan.opened.map((o, i) => entry('deficiency.opened', { type: 'deficiency', id: openedIds[i] ?? 0 }, { service: o.name, source: o.source, description: o.description })));
    let catalogue: ReckoningDone['catalogue'] = null;
    if (pending) {
      await r.catalogues.setStatus(current.id, 'superseded');
      await r.catalogues.setStatus(pending.id, 'current', meeting.at, meeting.id);
      await r.audit.record(entry('catalogue.adopted', { type: 'catalogue', id: pending.id }, { name: pending.name, version: pending.version, replaces: current.id }));
      catalogue = { name: pending.name, version: pending.version };
    }
    await r.notifications.claim({ key: `reckoning:${meeting.id}`, kind: 'reckoning', payload: JSON.stringify({ meetingId: meeting.id }), at: now });
    await r.audit.record(entry('meeting.reckoned', { type: 'meeting', id: meeting.id }, { descents: plan.descents.length, opened: openedIds.length, lapsed: plan.lapsed.length }));
    // The maintainers of the services concerned, read once each.
    const concerned = new Set([...plan.descents.map((d) => d.name), ...plan.opened.map((o) => o.name)]);
    const idsOf = new Map(services.filter((s) => concerned.has(s.name)).map((s) => [s.name, s.maintainerIds]));
    const members = new Map((await r.members.byIds([...new Set([...idsOf.values()].flat())])).map((m) => [m.id, m]));
    const maintainers = new Map([...idsOf].map(([name, ids]) => [name, ids.map((id) => members.get(id)).filter((m): m is MemberRecord => m !== undefined)]));
    // Watchers hear of each descent (the grace of its deficiencies ended) and each scrutiny.
    const until = byMeeting(nextMeeting?.at ?? null, deps.settings.timezone);
    const watcherMessages: ClaimedSend[] = [];
    const key = `reckoning:${meeting.id}`;
    const told = (name: string) => (maintainers.get(name) ?? []).map((m) => m.id);
    // Only services someone watches are looked at one by one.
    const watched = await r.watches.watched([...new Set([...plan.descents.map((d) => d.serviceId), ...plan.opened.map((o) => o.serviceId)])]);
    for (const d of plan.descents.filter((x) => watched.has(x.serviceId))) {
      const text = `${d.name}, a service you watch, descended from ${d.from} to ${d.to} at the ${title}: the grace of deficiencies ${d.deficiencyIds.map((id) => `#${id}`).join(', ')} ended unresolved.`;
      watcherMessages.push(...(await watcherSends(r, key, d.serviceId, told(d.name), publicReply(para(text)))));
    }
    for (const [i, o] of plan.opened.entries()) {
      if (o.source !== 'scrutiny' || !watched.has(o.serviceId)) continue;
      const text = `${o.name}, a service you watch, is under scrutiny: ${o.description} Deficiency #${openedIds[i]} is open on it, to be fixed ${until}.`;
      watcherMessages.push(...(await watcherSends(r, key, o.serviceId, told(o.name), publicReply(para(text)))));
    }
    return { meeting, plan, openedIds, nextMeeting, catalogue, maintainers, watcherSends: watcherMessages };
  });
  if (done) await announceReckoning(deps, done);
  return done;
}

async function announceReckoning(deps: Deps, done: ReckoningDone): Promise<void> {
  const tz = deps.settings.timezone;
  const { meeting, plan, nextMeeting } = done;
  const title = `${MEETING_TITLES[meeting.kind]} of ${formatDateTime(meeting.at, tz)}`;
  const until = byMeeting(nextMeeting?.at ?? null, tz);
  const blocks: Block[] = [heading(`The ${title} has been reckoned`)];
  if (plan.descents.length === 0 && plan.opened.length === 0 && !done.catalogue) blocks.push(para('No service changed level and no deficiency was opened.'));
  if (plan.descents.length > 0) {
    blocks.push(para('Descended one level (deficiencies not resolved in time):'));
    blocks.push(...cappedList(plan.descents.map((d) => `${d.name}: ${d.from} → ${d.to}`), ['All of them: ', cmd('coop', 'report'), '.']));
  }
  if (plan.opened.length > 0) {
    blocks.push(para(`Deficiencies opened, to be fixed ${until}:`));
    blocks.push(...cappedList(plan.opened.map((o, i) => `#${done.openedIds[i]} ${o.name}: ${o.description}`), ['All of them: ', cmd('coop', 'report'), '.']));
  }
  if (done.catalogue) {
    blocks.push(para(`New requirements in force: ${done.catalogue.name}, version ${done.catalogue.version}. Services have until the following AGM to meet them.`));
  }
  const key = `reckoning:${meeting.id}`;
  const sends: ClaimedSend[] = [{ key, audience: { kind: 'governance' }, message: publicReply(...blocks) }];
  // Tell each maintainer of a service concerned, directly, once: a maintainer of many
  // services built on one that descended gets one message listing them, not one each.
  const lines = new Map<string, string[]>();
  const add = (name: string, line: string) => lines.set(name, [...(lines.get(name) ?? []), line]);
  for (const d of plan.descents) add(d.name, `${d.name} descended from ${d.from} to ${d.to} at the ${title}.`);
  plan.opened.forEach((o, i) => add(o.name, `Deficiency #${done.openedIds[i]} on ${o.name}: ${o.description} To be fixed ${until}.`));
  const byMember = new Map<number, { member: MemberRecord; lines: string[] }>();
  for (const [name, said] of lines) {
    for (const m of done.maintainers.get(name) ?? []) {
      const entry = byMember.get(m.id) ?? { member: m, lines: [] };
      entry.lines.push(...said);
      byMember.set(m.id, entry);
    }
  }
  for (const { member, lines: said } of byMember.values()) {
    const message =
      said.length <= 3
        ? publicReply(...said.map((l) => para(l)))
        : publicReply(para(`At the ${title}, ${said.length} changes concern services you maintain:`), ...cappedList(said, ['All of them: ', cmd('coop', 'report'), '.']));
    sends.push({ key, audience: { kind: 'person', memberId: member.id, identities: member.identities }, message });
  }
  await sendClaimed(deps, [...sends, ...done.watcherSends]);
}

/** Reckons every meeting whose time has passed, oldest first (the tick and start-up call it). */
export async function runDueReckonings(deps: Deps): Promise<number[]> {
  const due = await deps.store.read((r) => r.meetings.dueForReckoning(deps.clock.now()));
  const done: number[] = [];
  for (const m of due) {
    const result = await runReckoning(deps, m.id);
    if (result) {
      done.push(m.id);
      deps.logger.info('meeting reckoned', { meeting: m.id, descents: result.plan.descents.length, opened: result.openedIds.length });
    }
  }
  return done;
}
