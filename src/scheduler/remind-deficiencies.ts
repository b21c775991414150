// Maintainers are reminded of an open deficiency a week and a day before its grace ends.
import { DEFICIENCY_REMINDER_DAYS, latestDue, offsetTimes } from '../domain/schedule.js';
import { formatDateTime } from '../reply/format.js';
import { para, publicReply, cmd } from '../reply/model.js';
import { sendClaimed, type ClaimedSend } from '../usecases/notify.js';
import type { JobDeps } from './deps.js';

export async function remindDeficiencies(deps: JobDeps): Promise<number> {
  const now = deps.clock.now();
  const tz = deps.settings.timezone;
  const open = await deps.store.read((r) => r.deficiencies.listOpen());
  const due = open.flatMap((d) => {
    // At proposed there is nothing to descend: no deadline to remind of.
    if (!d.graceUntil || d.serviceLevel === 'proposed') return [];
    const offset = latestDue(offsetTimes(d.graceUntil, DEFICIENCY_REMINDER_DAYS, tz), now, d.graceUntil);
    return offset ? [{ d, grace: d.graceUntil, days: offset.days, key: `deficiency-reminder:${d.id}@${d.graceUntil.toISOString()}:${offset.days}` }] : [];
  });
  // The common case is "already sent": one query tells which.
  const claimed = await deps.store.read((r) => r.notifications.claimedAmong(due.map((x) => x.key)));
  let sent = 0;
  for (const { d, grace, key, days } of due) {
    if (claimed.has(key)) continue;
    const sends = await deps.store.write(async (r): Promise<ClaimedSend[]> => {
      if (!(await r.notifications.claim({ key, kind: 'deficiency-reminder', payload: JSON.stringify({ deficiency: d.id, days }), at: now }))) return [];
      const service = await r.services.byName(d.serviceName);
      return (service?.maintainers ?? []).map((m) => ({
        key,
        audience: { kind: 'person' as const, memberId: m.id, identities: m.identities },
        message: publicReply(
          para(`Deficiency #${d.id} on ${d.serviceName} must be fixed by the general meeting on ${formatDateTime(grace, tz)} (${days === 1 ? 'tomorrow' : `in ${days} days`}), or the service descends one level: ${d.description}`),
          para('When it is fixed: ', cmd('service', `resolve ${d.id} <how>`), '.'),
        ),
      }));
    });
    await sendClaimed(deps, sends);
    sent += sends.length;
  }
  return sent;
}
