// The agenda of a general meeting goes to the governance room with the first annual
// update nudge (AGMs) and on the morning of the meeting, once each.
import { daysBeforeAt } from '../domain/schedule.js';
import { agendaBlocks } from '../reply/agenda.js';
import { MESSAGE_ITEMS, publicReply } from '../reply/model.js';
import { buildAgenda } from '../usecases/agenda.js';
import { storedCatalogue } from '../usecases/bootstrap.js';
import { sendClaimed, type ClaimedSend } from '../usecases/notify.js';
import type { JobDeps } from './deps.js';

export async function postAgendas(deps: JobDeps): Promise<number> {
  const now = deps.clock.now();
  const tz = deps.settings.timezone;
  const meetings = (await deps.store.read((r) => r.meetings.list())).filter((m) => m.status === 'scheduled' && m.at.getTime() > now.getTime());
  let sent = 0;
  for (const m of meetings) {
    const times: { which: string; at: Date }[] = [{ which: 'morning', at: daysBeforeAt(m.at, 0, tz) }];
    if (m.kind === 'agm' && deps.settings.nudgeDays.length > 0) times.push({ which: 'first-nudge', at: daysBeforeAt(m.at, Math.max(...deps.settings.nudgeDays), tz) });
    // The latest one due, before the meeting and within a day of its time: after a long
    // outage the missed posting waits for the next one (the morning of the meeting).
    const due = times
      .filter((t) => t.at.getTime() <= now.getTime() && t.at.getTime() < m.at.getTime() && now.getTime() - t.at.getTime() < 86_400_000)
      .sort((a, b) => b.at.getTime() - a.at.getTime())[0];
    if (!due) continue;
    const key = `agenda:${m.id}@${m.at.toISOString()}:${due.which}`;
    if (await deps.store.read((r) => r.notifications.isClaimed(key))) continue;
    const sends = await deps.store.write(async (r): Promise<ClaimedSend[]> => {
      if (!(await r.notifications.claim({ key, kind: 'agenda', payload: JSON.stringify({ meeting: m.id, which: due.which }), at: now }))) return [];
      const current = await r.catalogues.withStatus('current');
      if (!current) return [];
      const agenda = await buildAgenda(r, now, storedCatalogue(current), m.id, MESSAGE_ITEMS);
      return agenda ? [{ key, audience: { kind: 'governance' }, message: publicReply(...agendaBlocks(agenda, tz)) }] : [];
    });
    await sendClaimed(deps, sends);
    sent += sends.length;
  }
  return sent;
}
