import { z } from 'zod';
import { personView } from '../../reply/format.js';
import { cmd, heading, list, para, person as personSpan, privateReply, publicReply, type Block, type Reply } from '../../reply/model.js';
import { notifyAfterCommit } from '../../usecases/notify.js';

/** Tells the board that services have no maintainer left, and how to give them one. */
export function orphanedNotice(names: readonly string[]): Reply {
  return publicReply(
    para(`${names.length === 1 ? `${names[0]} needs a maintainer` : `These services need a maintainer: ${names.join(', ')}`}: nobody maintains ${names.length === 1 ? 'it' : 'them'} any more.`),
    para('The board adds one with ', cmd('service', `maintainer ${names[0]} add <user>`), '.'),
  );
}
import { changeRoster } from '../../usecases/manage-roster.js';
import { LIST_PAGE, oneOf, pageNumber, person } from '../args.js';
import { defineCommand } from '../define.js';

export const member = defineCommand({
  group: 'coop',
  words: ['member'],
  params: [{ name: 'action', label: 'add|remove' }, { name: 'user', label: '<user>' }],
  args: z.object({ action: oneOf(['add', 'remove']), user: person }),
  access: 'board',
  summary: 'Add someone to the member roster, or remove them.',
  example: '/coop member add @carol',
  async run(ctx, { action, user }) {
    const change = action === 'add' ? 'member-added' : 'member-removed';
    const { member: m, stoppedMaintaining, orphaned } = await changeRoster({ store: ctx.deps.store, actor: ctx.actor, now: ctx.now, change, person: user });
    const blocks: Block[] = [para(personSpan(personView(m)), action === 'add' ? ' is now a co-op member.' : ' is no longer on the member roster.')];
    if (stoppedMaintaining.length > 0) blocks.push(para(`They no longer maintain ${stoppedMaintaining.join(', ')}.`));
    if (orphaned.length > 0) {
      const needs = orphanedNotice(orphaned);
      blocks.push(...needs.blocks);
      await notifyAfterCommit(ctx.deps, { kind: 'governance' }, needs);
      for (const b of await ctx.deps.store.read((r) => r.members.list({ board: true }))) {
        if (b.id !== ctx.actor.member?.id) await notifyAfterCommit(ctx.deps, { kind: 'person', memberId: b.id, identities: b.identities }, needs);
      }
    }
    return publicReply(...blocks);
  },
});

export const board = defineCommand({
  group: 'coop',
  words: ['board'],
  params: [{ name: 'action', label: 'add|remove' }, { name: 'user', label: '<user>' }],
  args: z.object({ action: oneOf(['add', 'remove']), user: person }),
  access: 'board',
  summary: 'Seat someone on the board (they become a member too), or stand them down.',
  example: '/coop board add @dana',
  async run(ctx, { action, user }) {
    const change = action === 'add' ? 'board-added' : 'board-removed';
    const { member: m } = await changeRoster({ store: ctx.deps.store, actor: ctx.actor, now: ctx.now, change, person: user });
    return publicReply(para(personSpan(personView(m)), action === 'add' ? ' is now on the board.' : ' is no longer on the board.'));
  },
});

export const members = defineCommand({
  group: 'coop',
  words: ['members'],
  params: [{ name: 'page', label: '[page]', optional: true }],
  args: z.object({ page: pageNumber.optional() }),
  access: 'board',
  summary: 'The member roster by name, 40 at a time, with the board marked.',
  example: '/coop members 2',
  async run(ctx, { page = 1 }) {
    const { total, items } = await ctx.deps.store.read((r) => r.members.rosterPage({ offset: (page - 1) * LIST_PAGE, limit: LIST_PAGE }));
    if (total === 0) return privateReply(para('The roster is empty.'));
    const pages = Math.ceil(total / LIST_PAGE);
    if (items.length === 0) return privateReply(para(`There ${pages === 1 ? 'is 1 page' : `are ${pages} pages`} of members; page ${page} is past the end.`));
    const first = (page - 1) * LIST_PAGE + 1;
    return privateReply(
      heading(`Members ${first}–${first + items.length - 1} of ${total}`),
      list(items.map((m) => [personSpan(personView(m)), m.isBoard ? ' (board)' : ''])),
      ...(page < pages ? [para(`Page ${page} of ${pages}. Next: `, cmd('coop', `members ${page + 1}`), '.')] : []),
    );
  },
});
