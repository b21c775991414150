// Maintainers are reminded of an open deficiency a week and a day before its grace ends.
// Each deficiency's reminder is claimed once; a maintainer gets one message per deadline
// listing all of theirs (after a reckoning puts thousands of services under scrutiny,
// that is one message each, not one per deficiency).
import { DEFICIENCY_REMINDER_DAYS, latestDue, offsetTimes } from '../domain/schedule.js';
import type { DeficiencyDue, MemberRecord } from '../ports.js';
import { formatDateTime } from '../reply/format.js';
import { cappedList, para, publicReply, cmd } from '../reply/model.js';
import { sendClaimed, type ClaimedSend } from '../usecases/notify.js';
import type { JobDeps } from './deps.js';
import { nextTurn } from '../pace.js';

/** Deficiencies read, and their reminders claimed, a page at a time (one transaction a page). */
const PAGE = 500;

interface Due {
  d: DeficiencyDue;
  grace: Date;
  days: number;
  key: string;
}

export async function remindDeficiencies(deps: JobDeps): Promise<number> {
  const now = deps.clock.now();
  const tz = deps.settings.timezone;
  // Deadlines are meetings: only the open deficiencies of a meeting whose reminder is due
  // are read (none at all on most passes, whatever the number open), a page at a time
  // with a turn for the rest of the bot between pages (after a reckoning, thousands).
  const meetings = await deps.store.read((r) => r.meetings.list());
  let sent = 0;
  for (const m of meetings) {
    const offset = latestDue(offsetTimes(m.at, DEFICIENCY_REMINDER_DAYS, tz), now, m.at);
    if (!offset) continue;
    // One message per maintainer and deadline: the pages' messages are gathered first.
    const groups = new Map<number, { member: MemberRecord; items: Due[]; keys: string[] }>();
    const people = new Map<number, MemberRecord>();
    for (let after = 0; ; ) {
      const page = await deps.store.read((r) => r.deficiencies.openWithGraceAt(m.id, after, PAGE));
      if (page.length === 0) break;
      after = page.at(-1)?.id ?? after;
      // At proposed there is nothing to descend: no deadline to remind of.
      const due = page
        .filter((d) => d.serviceLevel !== 'proposed')
        .map((d): Due => ({ d, grace: m.at, days: offset.days, key: `deficiency-reminder:${d.id}@${m.at.toISOString()}:${offset.days}` }));
      // The common case is "already sent": one query tells which.
      const claimed = await deps.store.read((r) => r.notifications.claimedAmong(due.map((x) => x.key)));
      const fresh = due.filter((x) => !claimed.has(x.key));
      if (fresh.length > 0) {
        await deps.store.write(async (r) => {
          // Another copy may have claimed some since: only ours are sent.
          const mine = await r.notifications.claimMany(fresh.map((x) => ({ key: x.key, kind: 'deficiency-reminder', payload: JSON.stringify({ deficiency: x.d.id, days: x.days }), at: now })));
          const won = fresh.filter((x) => mine.has(x.key));
          const maintainers = await r.services.maintainersOf([...new Set(won.map((x) => x.d.serviceId))], people);
          for (const x of won) {
            for (const person of maintainers.get(x.d.serviceId) ?? []) {
              const g = groups.get(person.id) ?? { member: person, items: [], keys: [] };
              g.items.push(x);
              g.keys.push(x.key);
              groups.set(person.id, g);
            }
          }
        });
      }
      await nextTurn();
    }
    const sends = [...groups.values()].map(
      (g): ClaimedSend => ({
        key: g.keys,
        audience: { kind: 'person', memberId: g.member.id, identities: g.member.identities },
        message: reminder(g.items.map((x) => x.d), m.at, offset.days, tz),
      }),
    );
    await sendClaimed(deps, sends);
    sent += sends.length;
  }
  return sent;
}

function reminder(items: readonly DeficiencyDue[], grace: Date, days: number, tz: string) {
  const when = `by the general meeting on ${formatDateTime(grace, tz)} (${days === 1 ? 'tomorrow' : `in ${days} days`})`;
  const [only] = items;
  if (only && items.length === 1) {
    return publicReply(
      para(`Deficiency #${only.id} on ${only.serviceName} must be fixed ${when}, or the service descends one level: ${only.description}`),
      para('When it is fixed: ', cmd('service', `resolve ${only.id} <how>`), '.'),
    );
  }
  return publicReply(
    para(`${items.length} deficiencies on services you maintain must be fixed ${when}, or each service descends one level:`),
    ...cappedList(
      items.map((d) => `#${d.id} ${d.serviceName}: ${d.description}`),
      ['All of them: ', cmd('coop', 'report'), '.'],
    ),
    para('When one is fixed: ', cmd('service', `resolve <number> <how>`), '.'),
  );
}
