// Words a meeting's agenda and minutes (facts from src/usecases/agenda.ts) as a reply.
import { MEETING_TITLES } from '../domain/meeting.js';
import { describeResult } from '../domain/poll.js';
import type { PollRecord } from '../ports.js';
import { levelBelow, type Level } from '../domain/service.js';
import type { Agenda, Minutes } from '../usecases/agenda.js';
import { formatDateTime } from './format.js';
import { cmd, heading, list, para, type Block, type Span } from './model.js';

export function agendaBlocks(a: Agenda, tz: string): Block[] {
  const title = `${MEETING_TITLES[a.meeting.kind]} #${a.meeting.id}, ${formatDateTime(a.meeting.at, tz)}`;
  const blocks: Block[] = [heading(`Agenda of the ${title}`)];
  const section = (name: string, items: (Span | Span[])[]) => {
    if (items.length === 0) return;
    blocks.push(para(name), list(items));
  };
  section(
    'Services that descend at this meeting unless fixed:',
    a.descend.map((d) => [
      `${d.service}: ${d.level} → ${levelBelow(d.level as Level) ?? d.level}, `,
      d.deficiencies.map((x) => `#${x.id} ${x.description}${x.graceReason ? ` (grace set by the board: ${x.graceReason})` : ''}`).join('; '),
    ]),
  );
  section('Services without their annual update:', a.missingUpdates.map((s) => `${s.name} (${s.level})`));
  if (a.catalogue) section('Requirements taking effect at this meeting:', [`${a.catalogue.name}, version ${a.catalogue.version}; services then have until the following AGM to meet them`]);
  section('Deviations for the board to confirm:', a.deviations.map((d) => [`${d.service}, ${d.title} (${d.key}): ${d.note} — `, cmd('service', `confirm ${d.service} ${d.key}`)]));
  section('Services that need a maintainer:', a.unmaintained.map((s) => [`${s.name} (${s.level}) — `, cmd('service', `maintainer ${s.name} add <user>`)]));
  section('Polls closing before the meeting:', a.polls.map((p) => `#${p.id} ${p.question}, closes ${formatDateTime(p.closesAt, tz)}`));
  if (blocks.length === 1) blocks.push(para('Nothing to decide or note: no service descends, no requirement changes, nothing waits for the board.'));
  return blocks;
}

export function minutesBlocks(m: Minutes, tz: string): Block[] {
  const title = `${MEETING_TITLES[m.meeting.kind]} #${m.meeting.id} of ${formatDateTime(m.meeting.at, tz)}`;
  const blocks: Block[] = [heading(`Minutes of the ${title}`)];
  blocks.push(para(m.descents.length > 0 ? 'Descended one level (deficiencies not resolved in time):' : 'No service descended.'));
  if (m.descents.length > 0) blocks.push(list(m.descents.map((d) => `${d.serviceName}: ${d.from ?? ''} → ${d.to}`)));
  if (m.opened.length > 0) blocks.push(para('Deficiencies opened by the meeting:'), list(m.opened.map((d) => `#${d.id} ${d.serviceName} (${d.source}): ${d.description}`)));
  if (m.catalogue) blocks.push(para(`Requirements in force: ${m.catalogue.name}, version ${m.catalogue.version}${m.catalogue.adoptedHere ? ', adopted at this meeting' : ''}.`));
  const since = m.previous ? `since the previous meeting (${formatDateTime(m.previous.at, tz)})` : 'before it';
  blocks.push(para(`Level changes ${since}:`), m.changes.length > 0 ? list(m.changes.map((c) => `${formatDateTime(c.at, tz)}: ${c.serviceName} ${c.from ?? ''} → ${c.to} (${c.reason})`)) : para('None.'));
  blocks.push(
    para(`General polls decided ${since}:`),
    m.polls.length > 0 ? list(m.polls.map((p) => `#${p.id} ${p.question}: ${p.outcome?.reason === 'cancelled' ? 'cancelled' : (p.outcome ? describe(p) : p.status)}`)) : para('None.'),
  );
  return blocks;
}

const describe = (p: PollRecord) => (p.outcome ? describeResult(p.outcome.result) : p.status);
