// R6: one person, one vote (whatever platform they vote from); the latest counts;
// nothing after the deadline; the poll closes early once every elector has voted.
import { cmd } from '../reply/model.js';
import type { CommandContext } from '../context.js';
import { UserError } from '../domain/errors.js';
import { matchOption } from '../domain/poll.js';
import type { PollRecord } from '../ports.js';
import { formatDateTime } from '../reply/format.js';
import { auditEntry } from './audit.js';
import { announceClosed, closePollInTx, type PollClosed } from './close-poll.js';
import { pollChanged } from './notify.js';

export interface VoteCast {
  poll: PollRecord;
  option: string;
  previous: string | null;
  /** The same vote again (a retry or a double click): nothing changed. */
  unchanged: boolean;
  /** Votes cast so far, this one included. */
  turnout: number;
  closed: PollClosed | null;
}

export async function castVote(ctx: CommandContext, opts: { pollId: number; choice: string }): Promise<VoteCast> {
  const { deps, actor, now } = ctx;
  const tz = deps.settings.timezone;
  const cast = await deps.store.write(async (r): Promise<VoteCast> => {
    const member = actor.member;
    // The poll, and where the member stands in it, in one read.
    const ballot = member ? await r.polls.ballot(opts.pollId, member.id) : null;
    const poll = ballot?.poll ?? (member ? null : await r.polls.byId(opts.pollId));
    if (!poll) throw new UserError([`There is no poll #${opts.pollId}. See the open polls with `, cmd('coop', 'polls'), '.']);
    if (poll.status !== 'open') throw new UserError(`Poll #${poll.id} is ${poll.status}; it takes no more votes.`);
    if (now.getTime() >= poll.closesAt.getTime()) {
      throw new UserError(`Poll #${poll.id} closed at ${formatDateTime(poll.closesAt, tz)}; your vote was not counted.`);
    }
    if (!member || !ballot?.elector) {
      throw new UserError(`You are not an elector of poll #${poll.id}: its electorate is the member roster when it opened (${formatDateTime(poll.createdAt, tz)}).`);
    }
    const option = matchOption(poll.options, opts.choice);
    if (option === undefined) {
      throw new UserError(`\`${opts.choice.slice(0, 40)}\` is not an option of poll #${poll.id}. The options are: ${poll.options.join(', ')}.`);
    }
    const previous = ballot.mine;
    if (previous === option) {
      return { poll, option, previous, unchanged: true, turnout: ballot.turnout, closed: null };
    }
    await r.polls.upsertVote(poll.id, { memberId: member.id, option, castAt: now, platform: actor.identity.platform });
    // A secret ballot's audit record says that someone voted, never what they chose.
    await r.audit.record(
      auditEntry(ctx, previous === null ? 'poll.voted' : 'poll.vote-changed', { type: 'poll', id: poll.id }, poll.secret ? {} : { option, previous }),
    );
    // The count read with the ballot holds: writes take turns (the write lock).
    const turnout = ballot.turnout + (previous === null ? 1 : 0);
    const closed =
      turnout >= poll.electorate
        ? await closePollInTx(r, poll.id, 'all-voted', now, (action, subject, detail) => auditEntry(ctx, action, subject, detail))
        : null;
    return { poll, option, previous, unchanged: false, turnout, closed };
  });
  if (cast.closed) await announceClosed(deps, cast.closed, 'all-voted');
  else if (!cast.unchanged) await pollChanged(deps, cast.poll.id);
  return cast;
}
