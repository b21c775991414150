// Words a meeting's agenda and minutes (facts from src/usecases/agenda.ts) as a reply.
import { MEETING_TITLES } from '../domain/meeting.js';
import { describeResult } from '../domain/poll.js';
import type { PollRecord } from '../ports.js';
import { levelBelow } from '../domain/service.js';
import type { Agenda, Counted, Minutes } from '../usecases/agenda.js';
import { formatDateTime } from './format.js';
import { cappedList, cmd, heading, list, MESSAGE_ITEMS, para, type Block, type Span } from './model.js';

export function agendaBlocks(a: Agenda, tz: string): Block[] {
  const title = `${MEETING_TITLES[a.meeting.kind]} #${a.meeting.id}, ${formatDateTime(a.meeting.at, tz)}`;
  const blocks: Block[] = [heading(`Agenda of the ${title}`)];
  // Each list shows its first items; the rest are in the AGM report.
  const more: Span[] = ['All of them: ', cmd('coop', 'report'), '.'];
  const section = <T>(name: string, list: Counted<T>, item: (x: T) => Span | Span[]) => {
    if (list.total === 0 && list.items.length === 0) return;
    blocks.push(para(name), ...cappedList(list.items.map((x) => [item(x)].flat()), more, MESSAGE_ITEMS, Math.max(list.total, list.items.length)));
  };
  section('Services that descend at this meeting unless fixed:', a.descend, (d) => [
    `${d.service}: ${d.level} → ${levelBelow(d.level) ?? d.level}, `,
    d.deficiencies.map((x) => `#${x.id} ${x.description}${x.graceReason ? ` (grace set by the board: ${x.graceReason})` : ''}`).join('; '),
  ]);
  section('Services without their annual update:', a.missingUpdates, (s) => `${s.name} (${s.level})`);
  if (a.catalogue) blocks.push(para('Requirements taking effect at this meeting:'), list([[`${a.catalogue.name}, version ${a.catalogue.version}; services then have until the following AGM to meet them`]]));
  section('Deviations for the board to confirm:', a.deviations, (d) => [`${d.service}, ${d.title} (${d.key}): ${d.note} — `, cmd('service', `confirm ${d.service} ${d.key}`)]);
  section('Services that need a maintainer:', a.unmaintained, (s) => [`${s.name} (${s.level}) — `, cmd('service', `maintainer ${s.name} add <user>`)]);
  section('Polls closing before the meeting:', { total: a.polls.length, items: a.polls }, (p) => `#${p.id} ${p.question}, closes ${formatDateTime(p.closesAt, tz)}`);
  if (blocks.length === 1) blocks.push(para('Nothing to decide or note: no service descends, no requirement changes, nothing waits for the board.'));
  return blocks;
}

export function minutesBlocks(m: Minutes, tz: string): Block[] {
  const title = `${MEETING_TITLES[m.meeting.kind]} #${m.meeting.id} of ${formatDateTime(m.meeting.at, tz)}`;
  const blocks: Block[] = [heading(`Minutes of the ${title}`)];
  // Each list shows its first items and counts the rest; a service's own history has its part of them.
  const more: Span[] = ['Each service’s part: ', cmd('service', 'history <name>'), '.'];
  const capped = <T>(list: Counted<T>, item: (x: T) => string) => cappedList(list.items.map(item), more, MESSAGE_ITEMS, Math.max(list.total, list.items.length));
  blocks.push(para(m.descents.total > 0 ? 'Descended one level (deficiencies not resolved in time):' : 'No service descended.'));
  if (m.descents.total > 0) blocks.push(...capped(m.descents, (d) => `${d.serviceName}: ${d.from} → ${d.to}`));
  if (m.opened.total > 0) blocks.push(para('Deficiencies opened by the meeting:'), ...capped(m.opened, (d) => `#${d.id} ${d.serviceName} (${d.source}): ${d.description}`));
  if (m.catalogue) blocks.push(para(`Requirements in force: ${m.catalogue.name}, version ${m.catalogue.version}${m.catalogue.adoptedHere ? ', adopted at this meeting' : ''}.`));
  const since = m.previous ? `since the previous meeting (${formatDateTime(m.previous.at, tz)})` : 'before it';
  blocks.push(para(`Level changes ${since}:`), ...(m.changes.total > 0 ? capped(m.changes, (c) => `${formatDateTime(c.at, tz)}: ${c.serviceName} ${c.from} → ${c.to} (${c.reason})`) : [para('None.')]));
  blocks.push(
    para(`General polls decided ${since}:`),
    m.polls.length > 0 ? list(m.polls.map((p) => `#${p.id} ${p.question}: ${p.outcome?.reason === 'cancelled' ? 'cancelled' : (p.outcome ? describe(p) : p.status)}`)) : para('None.'),
  );
  return blocks;
}

const describe = (p: PollRecord) => (p.outcome ? describeResult(p.outcome.result) : p.status);
