// R9: before every AGM, maintainers of services without an annual update are nudged
// at NUDGE_DAYS, at 09:00 local time; after an outage only the latest nudge goes out.
import { latestDue, offsetTimes } from '../domain/schedule.js';
import type { MemberRecord } from '../ports.js';
import { formatDateTime } from '../reply/format.js';
import { cappedList, cmd, MESSAGE_ITEMS, para, publicReply } from '../reply/model.js';
import { sendClaimed, type ClaimedSend } from '../usecases/notify.js';
import type { JobDeps } from './deps.js';
import { nextTurn } from '../pace.js';

/** Services read, with their maintainers, a page at a time. */
const PAGE = 500;

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
    // The services missing an update, a page at a time with a turn for the rest of the
    // bot between pages: only their names and maintainers are kept (at 50,000 services,
    // tens of thousands), grouped by maintainer.
    let total = 0;
    const shown: string[] = [];
    const byMember = new Map<number, { member: MemberRecord; services: string[] }>();
    const people = new Map<number, MemberRecord>();
    for (let after: string | undefined; ; ) {
      const page = await deps.store.read((r) => r.services.missingUpdates(agm.id, PAGE, after));
      if (after === undefined) total = page.total ?? 0;
      const last = page.items.at(-1);
      if (!last) break;
      const maintainers = await deps.store.read((r) => r.services.maintainersOf(page.items.map((x) => x.id), people));
      for (const service of page.items) {
        if (shown.length < MESSAGE_ITEMS) shown.push(`${service.name} (${service.level})`);
        for (const m of maintainers.get(service.id) ?? []) {
          const entry = byMember.get(m.id);
          if (entry) entry.services.push(service.name);
          else byMember.set(m.id, { member: m, services: [service.name] });
        }
      }
      after = last.name;
      await nextTurn();
    }
    if (total === 0) continue;
    const when = `the AGM on ${formatDateTime(agm.at, tz)} (${due.days === 1 ? 'tomorrow' : `in ${due.days} days`})`;
    const governanceKey = `${base}:governance`;
    const governance = {
      key: governanceKey,
      payload: { agm: agm.id, days: due.days, missing: total },
      send: (): ClaimedSend => ({
        key: governanceKey,
        audience: { kind: 'governance' },
        message: publicReply(
          para(`Annual updates still missing for ${total === 1 ? 'one service' : `${total} services`} before ${when}:`),
          ...cappedList(shown, ['All of them: ', cmd('coop', 'status'), ' and ', cmd('coop', 'report'), '.'], MESSAGE_ITEMS, total),
        ),
      }),
    };
    const personal = [...byMember.values()].map(({ member, services: names }) => {
      const key = `${base}:member:${member.id}`;
      return {
        key,
        payload: { agm: agm.id, days: due.days, services: names },
        send: (): ClaimedSend => ({
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
        }),
      };
    });
    const wanted = [governance, ...personal];
    // Claimed together (another copy may have claimed some meanwhile: only ours are sent).
    const mine = await deps.store.write((r) => r.notifications.claimMany(wanted.map((w) => ({ key: w.key, kind: 'annual-update-nudge', payload: JSON.stringify(w.payload), at: now }))));
    const sends = wanted.filter((w) => mine.has(w.key)).map((w) => w.send());
    await sendClaimed(deps, sends);
    sent += sends.length;
  }
  return sent;
}
