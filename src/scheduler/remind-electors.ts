// A day before a poll closes, electors who have not voted are reminded, once each.
import { POLL_REMINDER_MS } from '../domain/schedule.js';
import { formatDateTime } from '../reply/format.js';
import { para, publicReply, cmd } from '../reply/model.js';
import { sendClaimed, type ClaimedSend } from '../usecases/notify.js';
import type { JobDeps } from './deps.js';

export async function remindElectors(deps: JobDeps): Promise<number> {
  const now = deps.clock.now();
  const polls = await deps.store.read((r) => r.polls.listOpen());
  let sent = 0;
  for (const poll of polls) {
    const remindAt = poll.closesAt.getTime() - POLL_REMINDER_MS;
    // Only polls open for more than a day get a reminder, and only before they close.
    if (now.getTime() < remindAt || now.getTime() >= poll.closesAt.getTime() || poll.createdAt.getTime() >= remindAt) continue;
    const done = `poll-reminders:${poll.id}`;
    if (await deps.store.read((r) => r.notifications.isClaimed(done))) continue;
    const sends = await deps.store.write(async (r): Promise<ClaimedSend[]> => {
      await r.notifications.claim({ key: done, kind: 'poll-reminders', payload: JSON.stringify({ pollId: poll.id }), at: now });
      const [electors, votes] = await Promise.all([r.polls.electors(poll.id), r.polls.votes(poll.id)]);
      const voted = new Set(votes.map((v) => v.memberId));
      const out: ClaimedSend[] = [];
      for (const e of electors) {
        if (voted.has(e.id)) continue;
        const key = `poll-reminder:${poll.id}:${e.id}`;
        if (!(await r.notifications.claim({ key, kind: 'poll-reminder', payload: JSON.stringify({ pollId: poll.id, memberId: e.id }), at: now }))) continue;
        out.push({
          key,
          audience: { kind: 'person', memberId: e.id, identities: e.identities },
          message: publicReply(
            para(`Poll #${poll.id} closes ${formatDateTime(poll.closesAt, deps.settings.timezone)} and you have not voted yet: ${poll.question}`),
            para(`Options: ${poll.options.join(', ')}. Vote with `, cmd('coop', `vote ${poll.id} <option>`), '.'),
          ),
        });
      }
      return out;
    });
    await sendClaimed(deps, sends);
    await deps.store.write((r) => r.notifications.markSent([done], deps.clock.now()));
    sent += sends.length;
  }
  return sent;
}
