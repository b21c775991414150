import { z } from 'zod';
import { personView } from '../../reply/format.js';
import { heading, list, para, person as personSpan, privateReply, publicReply } from '../../reply/model.js';
import { changeRoster } from '../../usecases/manage-roster.js';
import { oneOf, person } from '../args.js';
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
    const m = await changeRoster({ store: ctx.deps.store, actor: ctx.actor, now: ctx.now, change, person: user });
    return publicReply(para(personSpan(personView(m)), action === 'add' ? ' is now a co-op member.' : ' is no longer on the member roster.'));
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
    const m = await changeRoster({ store: ctx.deps.store, actor: ctx.actor, now: ctx.now, change, person: user });
    return publicReply(para(personSpan(personView(m)), action === 'add' ? ' is now on the board.' : ' is no longer on the board.'));
  },
});

export const members = defineCommand({
  group: 'coop',
  words: ['members'],
  params: [],
  args: z.object({}),
  access: 'board',
  summary: 'The member roster, with the board marked.',
  example: '/coop members',
  async run(ctx) {
    const roster = await ctx.deps.store.read((r) => r.members.list({ roster: true }));
    if (roster.length === 0) return privateReply(para('The roster is empty.'));
    return privateReply(
      heading(`Members (${roster.length})`),
      list(roster.map((m) => [personSpan(personView(m)), m.isBoard ? ' (board)' : ''])),
    );
  },
});
