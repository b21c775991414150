// R9: before every AGM, maintainers of services without an annual update are nudged
// at NUDGE_DAYS, at 09:00 local time; after an outage only the latest nudge goes out.
import { latestDue, offsetTimes } from '../domain/schedule.js';
import { VERIFIED_LEVELS } from '../domain/service.js';
import type { MemberRecord } from '../ports.js';
import { formatDateTime } from '../reply/format.js';
import { cappedList, para, publicReply, cmd } from '../reply/model.js';
import { sendClaimed, type ClaimedSend } from '../usecases/notify.js';
import type { JobDeps } from './deps.js';

export async function nudgeUpdates(deps: JobDeps): Promise<number> {
  const now = deps.clock.now();
  const tz = deps.settings.timezone;
  const agms = (await deps.store.read((r) => r.meetings.list())).filter((m) => m.kind === 'agm' && m.status === 'scheduled' && m.at.getTime() > now.getTime());
  let sent = 0;
  for (const agm of agms) {
    const due = latestDue(offsetTimes(agm.at, deps.settings.nudgeDays, tz), now, agm.at);
    if (!due) continue;
    const base = `nudge:${agm.id}@${agm.at.toISOString()}:${due.days}`;
    // The room's nudge and the maintainers' are claimed together: one check tells if this one went out.
    if (await deps.store.read((r) => r.notifications.isClaimed(`${base}:governance`))) continue;
    const sends = await deps.store.write(async (r): Promise<ClaimedSend[]> => {
      // Each service's name, level and maintainers' ids; the maintainers read once each.
      const [services, given] = await Promise.all([r.services.ladder({ met: false }), r.updates.givenFor(agm.id)]);
      const missing = services.filter((s) => (VERIFIED_LEVELS as readonly string[]).includes(s.level) && !given.has(s.id));
      if (missing.length === 0) return [];
      const people = new Map((await r.members.byIds([...new Set(missing.flatMap((s) => s.maintainerIds))])).map((m) => [m.id, m]));
      const when = `the AGM on ${formatDateTime(agm.at, tz)} (${due.days === 1 ? 'tomorrow' : `in ${due.days} days`})`;
      const out: ClaimedSend[] = [];
      const claim = (key: string, payload: object) => r.notifications.claim({ key, kind: 'annual-update-nudge', payload: JSON.stringify(payload), at: now });
      if (await claim(`${base}:governance`, { agm: agm.id, days: due.days, missing: missing.length })) {
        out.push({
          key: `${base}:governance`,
          audience: { kind: 'governance' },
          message: publicReply(
            para(`Annual updates still missing for ${missing.length === 1 ? 'one service' : `${missing.length} services`} before ${when}:`),
            ...cappedList(missing.map((s) => `${s.name} (${s.level})`), ['All of them: ', cmd('coop', 'status'), ' and ', cmd('coop', 'report'), '.']),
          ),
        });
      }
      const byMember = new Map<number, { member: MemberRecord; services: string[] }>();
      for (const s of missing) {
        for (const id of s.maintainerIds) {
          const m = people.get(id);
          if (!m) continue;
          const entry = byMember.get(m.id);
          if (entry) entry.services.push(s.name);
          else byMember.set(m.id, { member: m, services: [s.name] });
        }
      }
      for (const { member, services: names } of byMember.values()) {
        const key = `${base}:member:${member.id}`;
        if (!(await claim(key, { agm: agm.id, days: due.days, services: names }))) continue;
        out.push({
          key,
          audience: { kind: 'person', memberId: member.id, identities: member.identities },
          // A maintainer of many services gets one message with a list, capped like every list.
          message:
            names.length <= 3
              ? publicReply(
                  para(`Please give the annual update for ${names.join(', ')} before ${when}: does it still meet its level's requirements?`),
                  para('Write it with ', cmd('service', `update ${names[0]} <text>`), '. Without one, the service gets a deficiency at the AGM.'),
                )
              : publicReply(
                  para(`Please give the annual update for these ${names.length} services before ${when}: does each still meet its level's requirements?`),
                  ...cappedList(names, ['All of them: ', cmd('coop', 'report'), '.']),
                  para('Write each with ', cmd('service', `update <service> <text>`), '. Without one, a service gets a deficiency at the AGM.'),
                ),
        });
      }
      return out;
    });
    await sendClaimed(deps, sends);
    sent += sends.length;
  }
  return sent;
}
