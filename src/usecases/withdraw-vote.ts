// An elector takes their vote back while the poll is open (a Matrix poll response
// with no answer, or /coop unvote).
import type { CommandContext } from '../context.js';
import { UserError } from '../domain/errors.js';
import { auditEntry } from './audit.js';
import { pollChanged } from './notify.js';

export async function withdrawVote(ctx: CommandContext, pollId: number): Promise<void> {
  const { deps, now, actor } = ctx;
  await deps.store.write(async (r) => {
    const poll = await r.polls.byId(pollId);
    if (!poll) throw new UserError(`There is no poll #${pollId}.`);
    if (poll.status !== 'open' || now.getTime() >= poll.closesAt.getTime()) throw new UserError(`Poll #${pollId} is closed; votes can no longer change.`);
    const member = actor.member;
    if (!member || !(await r.polls.deleteVote(pollId, member.id))) throw new UserError(`You have no vote in poll #${pollId} to withdraw.`);
    await r.audit.record(auditEntry(ctx, 'poll.vote-withdrawn', { type: 'poll', id: pollId }));
  });
  await pollChanged(deps, pollId);
}
