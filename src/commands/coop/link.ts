import { z } from 'zod';
import { formatDateTime } from '../../reply/format.js';
import { mono, para, privateReply } from '../../reply/model.js';
import { completeLink, startLink } from '../../usecases/link-identity.js';
import { defineCommand } from '../define.js';

export const link = defineCommand({
  group: 'coop',
  words: ['link'],
  params: [{ name: 'code', optional: true }],
  args: z.object({ code: z.string().regex(/^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$/, 'a code such as ABCD-EFGH').optional() }),
  access: 'anyone',
  summary: 'Link your accounts on two platforms, so that you keep one vote: get a code here, enter it there.',
  example: '/coop link ABCD-EFGH',
  async run(ctx, { code }) {
    if (code === undefined) {
      const made = await startLink(ctx);
      return {
        ...privateReply(
        para('Your one-time code: ', mono(made.code)),
        para(
          'On your other platform, type ',
          mono(`/coop link ${made.code}`),
          ' (Slack or the console) or ',
          mono(`!coop link ${made.code}`),
          ` (Matrix, with your room's prefix) before ${formatDateTime(made.expiresAt, ctx.deps.settings.timezone)}. Keep it to yourself.`,
        ),
        ),
        secret: true,
      };
    }
    const member = await completeLink(ctx, code);
    return privateReply(para(`Linked: this account and ${member.identities.length - 1} other now vote as one member, ${member.name}.`));
  },
});
