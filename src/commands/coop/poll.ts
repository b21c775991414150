import { z } from 'zod';
import { UserError } from '../../domain/errors.js';
import { DEFAULT_OPTIONS, MAX_OPTION_LENGTH, MAX_OPTIONS, MAX_QUESTION_LENGTH } from '../../domain/poll.js';
import { formatDuration, parseDuration } from '../../duration.js';
import { formatDateTime, personView } from '../../reply/format.js';
import { cmd, heading, list, para, person, privateReply, publicReply, strong, type Span } from '../../reply/model.js';
import { boardCancelPoll, boardClosePoll } from '../../usecases/board-end-poll.js';
import { castVote } from '../../usecases/cast-vote.js';
import { closeDuePolls } from '../../usecases/close-poll.js';
import { createPoll } from '../../usecases/create-poll.js';
import { withdrawVote } from '../../usecases/withdraw-vote.js';
import { pollId, text } from '../args.js';
import { defineCommand } from '../define.js';

const MIN_DURATION = 3_600_000;
const MAX_DURATION = 90 * 86_400_000;
const FOR_FLAG = /(^|\s)(?:--|—|–)for(?=\s|$)/gi;

function pollGrammar(why: string): UserError {
  return new UserError(
    [
      `${why} Write a poll as `,
      cmd('coop', 'poll <question> | <option> | <option>… --for <duration>'),
      ', with `--for` (if any) last; a duration is like 3d, 12h or 1w, at least 1 hour and at most 90 days.',
    ],
  );
}

/** `Question? | option | option --for 3d` → its parts, or a UserError saying what is wrong. */
export function parsePollText(raw: string, defaultMs: number): { question: string; options: string[]; durationMs: number } {
  let body = raw.trim();
  let durationMs = defaultMs;
  const flags = [...body.matchAll(FOR_FLAG)];
  if (flags.length > 1) throw pollGrammar('`--for` is given more than once.');
  const flag = flags[0];
  if (flag) {
    const start = (flag.index ?? 0) + (flag[1]?.length ?? 0);
    const after = body.slice(start).replace(/^\S+/, '').trim();
    if (after === '') throw pollGrammar('`--for` needs a duration after it.');
    if (/\s|\|/.test(after)) throw pollGrammar(`\`--for\` must come at the end, after the options; here \`${after.slice(0, 30)}\` follows it.`);
    const ms = parseDuration(after);
    if (ms === null) throw pollGrammar(`\`${after.slice(0, 20)}\` is not a duration.`);
    if (ms < MIN_DURATION || ms > MAX_DURATION) throw pollGrammar(`\`${after.slice(0, 20)}\` is ${ms < MIN_DURATION ? 'shorter than 1 hour' : 'longer than 90 days'}.`);
    durationMs = ms;
    body = body.slice(0, start).trim();
  }
  const parts = splitOptions(body).map((p) => p.trim().replace(/^["“](.*)["”]$/, '$1').trim());
  const [question = '', ...rest] = parts;
  if (question === '') throw new UserError('The poll needs a question before the first `|`.');
  if (question.length > MAX_QUESTION_LENGTH) throw new UserError(`The question is ${question.length} characters long; at most ${MAX_QUESTION_LENGTH}.`);
  const options = rest.length === 0 ? [...DEFAULT_OPTIONS] : rest;
  if (options.some((o) => o === '')) throw new UserError('An option is empty: write options between `|` signs, as in `Lunch? | pizza | soup`.');
  if (options.length < 2) throw new UserError('A poll needs at least two options (or none, for yes / no / abstain).');
  if (options.length > MAX_OPTIONS) throw new UserError(`A poll has at most ${MAX_OPTIONS} options.`);
  const long = options.find((o) => o.length > MAX_OPTION_LENGTH);
  if (long) throw new UserError(`The option "${long.slice(0, 30)}…" is longer than ${MAX_OPTION_LENGTH} characters.`);
  const lower = options.map((o) => o.toLowerCase());
  if (new Set(lower).size !== lower.length) throw new UserError('Two options are the same.');
  return { question, options, durationMs };
}

export const poll = defineCommand({
  group: 'coop',
  words: ['poll'],
  params: [{ name: 'text', label: '<question> | <option> | <option>… [--for 3d]', rest: true }],
  args: z.object({ text: text('a question', 2000) }),
  access: 'member',
  summary: 'Open a poll of the members (options default to yes / no / abstain).',
  example: '/coop poll Move the AGM online? | yes | no | abstain --for 3d',
  async run(ctx, args) {
    const parsed = parsePollText(args.text, ctx.deps.settings.poll.durationMs);
    const { poll: p, view } = await createPoll(ctx, parsed);
    return publicReply(
      para(`Poll #${p.id} by `, ...(ctx.actor.member ? [person(personView(ctx.actor.member))] : ['a member']), `, open for ${formatDuration(parsed.durationMs)}: `, strong(p.question)),
      para('Vote with ', cmd('coop', `vote ${p.id} <option>`), '.'),
      { type: 'poll', poll: view },
    );
  },
});

export const vote = defineCommand({
  group: 'coop',
  words: ['vote'],
  params: [{ name: 'poll', label: '<poll-id>' }, { name: 'option', rest: true }],
  args: z.object({ poll: pollId, option: text('an option', 200) }),
  access: 'anyone',
  summary: 'Vote in a poll, or change your vote while it is open (the latest counts).',
  example: '/coop vote 12 yes',
  async run(ctx, args) {
    const cast = await castVote(ctx, { pollId: args.poll, choice: args.option });
    const tz = ctx.deps.settings.timezone;
    const blocks = [
      para(
        cast.unchanged
          ? `Your vote in poll #${cast.poll.id} was already "${cast.option}"; nothing changed.`
          : cast.previous
            ? `Your vote in poll #${cast.poll.id} is now "${cast.option}" (was "${cast.previous}").`
            : `Your vote in poll #${cast.poll.id} is recorded: "${cast.option}".`,
      ),
    ];
    if (!cast.closed) blocks.push(para(`You can change it until the poll closes, ${formatDateTime(cast.poll.closesAt, tz)}. ${cast.turnout} of ${cast.poll.electorate} have voted.`));
    else blocks.push(para(`Every elector has now voted, so the poll has closed: ${cast.closed.view.outcome ?? ''}.`));
    return privateReply(...blocks);
  },
});

export const unvote = defineCommand({
  group: 'coop',
  words: ['unvote'],
  params: [{ name: 'poll', label: '<poll-id>' }],
  args: z.object({ poll: pollId }),
  access: 'anyone',
  summary: 'Withdraw your vote from an open poll.',
  example: '/coop unvote 12',
  async run(ctx, args) {
    await withdrawVote(ctx, args.poll);
    return privateReply(para(`Your vote in poll #${args.poll} is withdrawn.`));
  },
});

export const polls = defineCommand({
  group: 'coop',
  words: ['polls'],
  params: [],
  args: z.object({}),
  access: 'anyone',
  summary: 'Open polls: tallies, turnout, deadline, and whether you have voted.',
  example: '/coop polls',
  async run(ctx) {
    const tz = ctx.deps.settings.timezone;
    const me = ctx.actor.member;
    const overview = () => ctx.deps.store.read((r) => r.polls.openOverview(me?.id ?? null));
    let open = await overview();
    // A poll whose deadline has passed is closed, even if the minute tick has not come yet.
    if (open.some(({ poll }) => poll.closesAt.getTime() <= ctx.now.getTime())) {
      await closeDuePolls(ctx.deps);
      open = await overview();
    }
    const rows = open.map(({ poll: p, tally, mine, elector }) => {
      const turnout = [...tally.values()].reduce((a, b) => a + b, 0);
      // A secret ballot shows its turnout only until it closes.
      const counts = p.secret ? '' : `${p.options.map((o) => `${o} ${tally.get(o) ?? 0}`).join(', ')}; `;
      return { p, turnout, mine, elector, counts };
    });
    if (rows.length === 0) return privateReply(para('No polls are open.'));
    return privateReply(
      heading(`Open polls (${rows.length})`),
      list(
        rows.map(({ p, turnout, mine, elector, counts }): Span[] => [
          strong(`#${p.id} ${p.question}`),
          ` — ${counts}${turnout} of ${p.electorate} voted, quorum ${p.quorum}; closes ${formatDateTime(p.closesAt, tz)}`,
          p.secret ? '; secret ballot, counted when it closes' : '',
          mine !== null ? `. You voted "${mine}".` : elector ? '. You have not voted yet.' : '. You are not an elector.',
        ]),
      ),
    );
  },
});

export const close = defineCommand({
  group: 'coop',
  words: ['close'],
  params: [{ name: 'poll', label: '<poll-id>' }],
  args: z.object({ poll: pollId }),
  access: 'board',
  summary: 'Close a poll now and count it as it stands.',
  example: '/coop close 12',
  async run(ctx, args) {
    const closed = await boardClosePoll(ctx, args.poll);
    return publicReply(para(`Poll #${args.poll} closed by the board: ${closed.view.outcome ?? ''}.`), ...closed.effects.map((e) => para(e)));
  },
});

export const cancel = defineCommand({
  group: 'coop',
  words: ['cancel'],
  params: [{ name: 'poll', label: '<poll-id>' }],
  args: z.object({ poll: pollId }),
  access: 'board',
  summary: 'Cancel a poll: nothing is decided (a verification request ends, the level stays).',
  example: '/coop cancel 12',
  async run(ctx, args) {
    await boardCancelPoll(ctx, args.poll);
    return publicReply(para(`Poll #${args.poll} is cancelled.`));
  },
});

/** Splits at each `|`, except one inside a platform's markup (Slack's `<@U123|ann>`, `<#C1|general>`). */
export function splitOptions(body: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c === '<') {
      const end = body.indexOf('>', i);
      const inner = end > 0 ? body.slice(i + 1, end) : '';
      if (end > 0 && !inner.includes('<') && /^[@#!]/.test(inner)) {
        current += body.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (c === '|') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}
