// A general poll (R6): any question, custom options, the same machinery as verification.
import type { CommandContext } from '../context.js';
import type { PollRecord } from '../ports.js';
import type { PollView } from '../reply/model.js';
import { auditEntry } from './audit.js';
import { checkOpenPolls } from './limits.js';
import { openPollInTx } from './open-poll.js';
import { loadPollView } from './poll-view.js';

export async function createPoll(ctx: CommandContext, opts: { question: string; options: string[]; durationMs: number }): Promise<{ poll: PollRecord; view: PollView }> {
  const { deps, actor, now } = ctx;
  const member = actor.member;
  if (!member) throw new Error('createPoll needs a member');
  return deps.store.write(async (r) => {
    await checkOpenPolls(r, member, deps.settings.limits);
    const poll = await openPollInTx(r, {
      kind: 'general',
      question: opts.question,
      options: opts.options,
      createdBy: member.id,
      now,
      durationMs: opts.durationMs,
      secret: deps.settings.poll.secret,
      quorum: deps.settings.poll.quorum,
      originPlatform: actor.identity.platform,
      originRoom: ctx.room ?? null,
    });
    await r.audit.record(auditEntry(ctx, 'poll.opened', { type: 'poll', id: poll.id }, { kind: 'general', question: poll.question, options: poll.options, electorate: poll.electorate }));
    return { poll, view: (await loadPollView(r, poll.id)) as PollView };
  });
}
