// The board closes a poll early (counted as it stands) or cancels it (nothing decided).
import type { CommandContext } from '../context.js';
import { UserError } from '../domain/errors.js';
import { para, publicReply } from '../reply/model.js';
import { auditEntry } from './audit.js';
import { announceClosed, cancelPollInTx, closePollInTx, type PollClosed } from './close-poll.js';
import { notifyAfterCommit, pollChanged } from './notify.js';
import { decideProposal } from './catalogue-proposal.js';

async function openPollOrExplain(ctx: CommandContext, pollId: number) {
  const poll = await ctx.deps.store.read((r) => r.polls.byId(pollId));
  if (!poll) throw new UserError(`There is no poll #${pollId}.`);
  if (poll.status !== 'open') throw new UserError(`Poll #${pollId} is already ${poll.status}.`);
  return poll;
}

export async function boardClosePoll(ctx: CommandContext, pollId: number): Promise<PollClosed> {
  await openPollOrExplain(ctx, pollId);
  const closed = await ctx.deps.store.write((r) => closePollInTx(r, pollId, 'board', ctx.now, (a, s, d) => auditEntry(ctx, a, s, d)));
  if (!closed) throw new UserError(`Poll #${pollId} closed in the meantime.`);
  await announceClosed(ctx.deps, closed, 'board');
  return closed;
}

export async function boardCancelPoll(ctx: CommandContext, pollId: number): Promise<void> {
  const poll = await openPollOrExplain(ctx, pollId);
  const request = await ctx.deps.store.write(async (r) => {
    const cancelled = await cancelPollInTx(r, pollId, ctx.now, (a, s, d) => auditEntry(ctx, a, s, d), 'cancelled by the board');
    if (!cancelled) throw new UserError(`Poll #${pollId} closed in the meantime.`);
    const req = await r.requests.byPoll(pollId);
    if (req?.status === 'open') await r.requests.setStatus(req.id, 'cancelled', ctx.now);
    if (poll.kind === 'requirements') await decideProposal(r, pollId, 'cancelled', (a, s, d) => auditEntry(ctx, a, s, d));
    return req;
  });
  const text = request
    ? `Poll #${pollId} (${poll.question}) was cancelled by the board; ${request.serviceName} stays ${request.fromLevel}.`
    : `Poll #${pollId} (${poll.question}) was cancelled by the board.`;
  const audience = poll.kind === 'general' ? ({ kind: 'room', platform: poll.originPlatform, room: poll.originRoom } as const) : ({ kind: 'governance' } as const);
  await pollChanged(ctx.deps, pollId);
  await notifyAfterCommit(ctx.deps, audience, publicReply(para(text)));
}
