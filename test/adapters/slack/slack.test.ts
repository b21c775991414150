// The Slack adapter over real HTTP: signed slash commands and button payloads into the
// Bolt receiver, a local stand-in for Slack's Web API, a real SQLite database.
import { waitFor } from '../../helpers/wait.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack/adapter.js';
import type { App } from '../../../src/app.js';
import { loadCatalogueFile } from '../../../src/catalogue-file.js';
import { silentLogger } from '../../../src/logger.js';
import { dumpDatabase } from '../../helpers/console.js';
import { FakeSlack, sign, SIGNING_SECRET } from '../../helpers/fake-slack.js';
import { freePort } from '../../helpers/ports.js';
import { startSlackBot } from '../../helpers/slack-bot.js';

const catalogue = loadCatalogueFile('catalogues/coop-default.json');
let slack: FakeSlack;
let core: App;
let adapter: SlackAdapter;
let port: number;
let dir: string;
let triggers = 0;
const STREAM_INTERVAL_MS = 400;

beforeEach(async () => {
  // Poll messages are updated at most every 20 ms here; the streaming tests use a slower pace.
  const updateIntervalMs = expect.getState().currentTestName?.includes('while votes stream') ? STREAM_INTERVAL_MS : 20;
  ({ slack, core, adapter, port, dir } = await startSlackBot({ SLACK_GOVERNANCE_CHANNEL: 'C0GOV', SLACK_PORT: '3000' }, { updateIntervalMs }));
});

afterEach(async () => {
  await adapter.stop();
  await core.close();
  await slack.stop();
});

async function post(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body, headers });
}

/** A slash command as Slack sends it; returns what the bot answered on the response_url. */
async function command(user: string, cmd: '/service' | '/coop', text: string, opts: { trigger?: string; retry?: number; expired?: boolean } = {}) {
  const trigger = opts.trigger ?? `T${++triggers}`;
  const responseId = `r-${trigger}-${opts.retry ?? 0}`;
  if (opts.expired) slack.expired.add(responseId);
  const body = new URLSearchParams({
    token: 'x', team_id: 'T1', channel_id: 'C0GENERAL', user_id: user, user_name: user.toLowerCase(), command: cmd, text,
    response_url: slack.responseUrl(responseId), trigger_id: trigger, api_app_id: 'A1',
  }).toString();
  const headers = { ...sign(body), ...(opts.retry ? { 'x-slack-retry-num': String(opts.retry), 'x-slack-retry-reason': 'http_timeout' } : {}) };
  const res = await post(body, headers);
  expect(res.status).toBe(200);
  await settle();
  return slack.responses.filter((r) => r.id === responseId).map((r) => r.body);
}

/** A button press on a poll message. */
async function press(user: string, pollId: number, option: string, actionTs = `${Date.now()}.${Math.random()}`) {
  const payload = {
    type: 'block_actions', user: { id: user, name: user.toLowerCase() }, team: { id: 'T1' }, api_app_id: 'A1', token: 'x',
    trigger_id: `trig-${actionTs}`, response_url: slack.responseUrl(`click-${user}-${actionTs}`), channel: { id: 'C0GOV' },
    container: { type: 'message', channel_id: 'C0GOV', message_ts: '1' }, message: { ts: '1' },
    actions: [{ type: 'button', action_id: `vote:${pollId}:0`, block_id: `poll:${pollId}`, value: JSON.stringify({ poll: pollId, option }), action_ts: actionTs }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const res = await post(body, sign(body));
  expect(res.status).toBe(200);
  await settle();
  return slack.responses.filter((r) => r.id === `click-${user}-${actionTs}`).map((r) => r.body);
}

/** Waits for the work Bolt does after ack() to finish (the adapter tracks it). */
const settle = () => adapter.idle();

const textOf = (r: Record<string, unknown> | undefined) => JSON.stringify(r ?? {});

describe('Slack adapter', () => {
  it('runs a whole verification: request, poll with buttons, presses, level changed, message updated', async () => {
    for (const u of ['UALICE', 'UBOB', 'UCAROL']) await command('UADMIN', '/coop', `member add <@${u}|${u.toLowerCase()}>`);
    let r = await command('UALICE', '/service', 'propose wiki user A wiki for the co-op');
    expect(r[0]?.response_type).toBe('in_channel');
    expect(textOf(r[0])).toContain('proposed by <@UALICE>');
    for (const req of catalogue.levels.alpha) {
      await command('UALICE', '/service', req.key === 'alpha.principles' ? `assess wiki ${req.key} deviation Users write the card` : `assess wiki ${req.key} met`);
    }
    r = await command('UALICE', '/service', 'request wiki alpha');
    expect(textOf(r[0])).toContain('Poll #1 is open in the governance room');

    const pollPost = slack.posted('chat.postMessage').find((m) => m.channel === 'C0GOV' && JSON.stringify(m.blocks).includes('"actions"'));
    expect(pollPost).toBeDefined();
    const buttons = (pollPost?.blocks as { type: string; elements?: { action_id: string; text: { text: string } }[] }[]).find((b) => b.type === 'actions');
    expect(buttons?.elements?.map((e) => e.text.text)).toEqual(['yes', 'no', 'abstain']);
    // What a yes approves: each requirement with its assessment; the deviation stands out in bold.
    expect(textOf(pollPost)).toContain('What a yes approves');
    expect(textOf(pollPost)).toContain('✓ alpha.plan Plan of what is needed: met');
    expect(textOf(pollPost)).toContain('*⚠ alpha.principles Aligned with co-op principles: DEVIATION, agreed by a yes — Users write the card*');

    const first = await press('UBOB', 1, 'yes');
    expect(textOf(first[0])).toContain('Your vote in poll #1 is recorded: \\"yes\\"');
    expect(first[0]?.response_type).toBe('ephemeral');
    await waitFor(() => textOf(slack.posted('chat.update').at(-1)).includes('1 of 4 voted'), 'the poll message to show the vote');
    const update = slack.posted('chat.update').at(-1);
    expect(update?.channel).toBe('C0GOV');
    expect(textOf(update)).toContain('1 of 4 voted');
    expect(textOf(update)).toContain('<@UBOB>');

    await press('UCAROL', 1, 'no');
    await press('UCAROL', 1, 'yes'); // a changed vote
    await press('UADMIN', 1, 'yes');
    await press('UALICE', 1, 'yes'); // the last elector: the poll closes
    await waitFor(() => textOf(slack.posted('chat.update').at(-1)).includes('closed: passed'), 'the poll message to show the result');
    await waitFor(() => slack.posted('chat.postMessage').some((m) => m.channel === 'C0GOV' && textOf(m).includes('Poll #1 has closed')), 'the result announcement');
    const final = slack.posted('chat.update').at(-1);
    expect(textOf(final)).not.toContain('"actions"');
    expect(textOf(final)).toContain('closed: passed, 4 yes to 0 no');
    expect(slack.posted('chat.postMessage').some((m) => m.channel === 'C0GOV' && textOf(m).includes('Poll #1 has closed (every elector has voted)'))).toBe(true);
    r = await command('UCAROL', '/service', 'level wiki');
    expect(textOf(r[0])).toContain('is *alpha* since');
    expect(r[0]?.response_type).toBe('ephemeral');
    // Each call to Slack is counted for /metrics, by method and result.
    const metrics = await core.deps.metrics.text();
    expect(metrics).toMatch(/^smb_chat_api_calls_total\{platform="slack",method="chat.update",result="ok"\} [1-9]/m);
    expect(metrics).toMatch(/^smb_commands_total\{command="service level",platform="slack",outcome="ok"\} 1$/m);
  });

  it('names people added by mention as Slack wrote them', async () => {
    await command('UADMIN', '/coop', 'member add <@UDANA|dana>');
    expect((dumpDatabase(dir).Member as { name: string }[]).map((m) => m.name)).toContain('dana');
  });

  it('counts a retried command and a double click once', async () => {
    await command('UADMIN', '/coop', 'member add <@UALICE>');
    await command('UALICE', '/service', 'propose wiki user The wiki');
    await command('UADMIN', '/service', 'report wiki Down at night', { trigger: 'same' });
    await command('UADMIN', '/service', 'report wiki Down at night', { trigger: 'same', retry: 1 });
    expect(dumpDatabase(dir).Deficiency).toHaveLength(1);

    await command('UADMIN', '/coop', 'poll Picnic?');
    await Promise.all([press('UALICE', 1, 'yes', '1.1'), press('UALICE', 1, 'yes', '1.2')]);
    expect(dumpDatabase(dir).Vote).toHaveLength(1);
    expect((dumpDatabase(dir).AuditEvent as { action: string }[]).filter((a) => a.action === 'poll.voted')).toHaveLength(1);
  });

  it('answers 401 to a bad signature, a stale timestamp or missing headers, changing nothing', async () => {
    const before = dumpDatabase(dir);
    const body = new URLSearchParams({ command: '/coop', text: 'member add <@UEVE>', user_id: 'UADMIN', channel_id: 'C1', trigger_id: 't', response_url: slack.responseUrl('x') }).toString();
    expect((await post(body, sign(body, undefined, 'ffffffffffffffffffffffffffffffff'))).status).toBe(401);
    expect((await post(body, sign(body, Math.floor(Date.now() / 1000) - 600))).status).toBe(401);
    expect((await post(body, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(401);
    await settle();
    expect(dumpDatabase(dir)).toEqual(before);
    expect(slack.responses).toEqual([]);
  });

  it('shows a meeting agenda privately, with whole commands written for Slack', async () => {
    await command('UADMIN', '/coop', 'member add <@UALICE|alice>');
    await command('UALICE', '/service', 'propose wiki user A wiki');
    await command('UADMIN', '/coop', 'member remove <@UALICE|alice>');
    await command('UADMIN', '/coop', `meeting agm ${new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10)}`);
    const r = await command('UBOB', '/coop', 'agenda');
    expect(r[0]?.response_type).toBe('ephemeral');
    expect(textOf(r[0])).toContain('Agenda of the AGM #1');
    expect(textOf(r[0])).toContain('wiki (proposed) — `/service maintainer wiki add &lt;user&gt;`');
  });

  it('answers an unknown subcommand privately', async () => {
    const r = await command('UALICE', '/service', 'frobnicate wiki');
    expect(r[0]?.response_type).toBe('ephemeral');
    expect(textOf(r[0])).toContain('There is no command `/service frobnicate`');
  });

  it("tells a non-elector privately that their click did not count", async () => {
    await command('UADMIN', '/coop', 'poll Picnic?');
    const r = await press('UMALLORY', 1, 'yes');
    expect(r[0]?.response_type).toBe('ephemeral');
    expect(textOf(r[0])).toContain('You are not an elector of poll #1');
    expect(dumpDatabase(dir).Vote).toHaveLength(0);
  });

  it('falls back to chat.postEphemeral when the response_url is spent', async () => {
    const r = await command('UALICE', '/service', 'help', { expired: true });
    expect(r).toEqual([]);
    const ephemeral = slack.posted('chat.postEphemeral');
    expect(ephemeral).toHaveLength(1);
    expect(ephemeral[0]).toMatchObject({ channel: 'C0GENERAL', user: 'UALICE' });
  });

  it('shows a token revoked while running as degraded, once, and keeps the core working', async () => {
    slack.refuseAll = 'token_revoked';
    await command('UADMIN', '/coop', 'poll Picnic?'); // its announcement cannot be posted
    await waitFor(() => core.health.report().status === 'degraded', 'the revoked token to show');
    expect(core.health.report()).toEqual({ status: 'degraded', problems: { slack: 'Slack refuses SLACK_BOT_TOKEN (token_revoked)' } });
    const polls = await core.handle({ group: 'coop', text: 'polls', actor: { platform: 'console', externalId: 'admin' }, platform: { name: 'console', commandPrefix: (g) => `/${g}` } });
    expect(polls.outcome).toBe('ok');
    slack.refuseAll = null;
    await command('UADMIN', '/coop', 'poll Lunch?');
    await waitFor(() => core.health.report().status === 'ok', 'the token to work again');
  });

  it('waits out a 429 and posts once', async () => {
    slack.rateLimit.set('chat.postMessage', 1);
    await command('UADMIN', '/coop', 'poll Picnic?');
    await waitFor(() => slack.calls.filter((c) => c.method === 'chat.postMessage').length > 0, 'the post after the 429');
    const posts = slack.calls.filter((c) => c.method.startsWith('chat.postMessage'));
    expect(posts.map((c) => c.method)).toEqual(['chat.postMessage (429)', 'chat.postMessage']);
  });

  it('decodes what members type once, and escapes it in every field it sends, so that it cannot mention, broadcast or link', async () => {
    await command('UADMIN', '/coop', 'member add <@UALICE>');
    // Typed: Hello <!channel> & <b>; @here; a link. Slack sends its own markup for @here and the link, and entities for the rest.
    const typed = 'Hello &lt;!channel&gt; &amp; &lt;b&gt; <!here> <https://evil.example|click>';
    const r = await command('UALICE', '/service', `propose wiki user ${typed}`);
    const summary = (dumpDatabase(dir).Service as { summary: string }[])[0]?.summary;
    expect(summary).toBe('Hello <!channel> & <b> @here click (https://evil.example)');
    expect(textOf(r[0])).toContain('Hello &lt;!channel&gt; &amp; &lt;b&gt; @here click (https://evil.example)');
    // The same in a poll question, sent to the channel as a message of its own (text, blocks and updates).
    await command('UALICE', '/coop', `poll Is ${typed} right? | yes | no`);
    await command('UADMIN', '/coop', 'vote 1 yes');
    await adapter.notifier.flush();
    const sent = JSON.stringify([...slack.posted('chat.postMessage'), ...slack.posted('chat.update'), ...slack.responses.map((x) => x.body)]);
    expect(sent).toContain('Is Hello &lt;!channel&gt; &amp; &lt;b&gt; @here click (https://evil.example) right?');
    expect(sent).not.toMatch(/<!channel>|<!here>|<https:\/\/evil|&amp;amp;|&amp;lt;/);
  });

  it('answers /coop report with what the meeting must decide, and sends the whole report as a file to the person', async () => {
    await command('UADMIN', '/coop', 'member add <@UALICE>');
    await command('UALICE', '/service', 'propose wiki user The wiki');
    const r = await command('UALICE', '/coop', 'report');
    expect(r).toHaveLength(1);
    expect(textOf(r[0])).toContain('must decide or note');
    expect(textOf(r[0])).toContain('The whole document follows as a file');
    await waitFor(() => slack.posted('files.completeUploadExternal').length === 1, 'the upload');
    const done = slack.posted('files.completeUploadExternal')[0];
    expect(done?.channel_id).toBe('DUALICE');
    const [upload] = [...slack.uploads.values()];
    expect(upload).toContain('## Services by level');
    expect(upload).toContain('wiki');
  });

  it('shows live tallies while votes stream in: at most one update per interval, the last vote shown within one', async () => {
    for (let i = 0; i < 40; i++) await command('UADMIN', '/coop', `member add <@UM${i}>`);
    await command('UADMIN', '/coop', 'poll Stream? | yes | no');
    const updates = () => slack.posted('chat.update').map((u) => textOf(u));
    const started = Date.now();
    // Ten votes a second for four seconds.
    for (let i = 0; i < 40; i++) {
      await press(`UM${i}`, 1, i % 2 === 0 ? 'yes' : 'no', `9.${i}`);
      await new Promise((r) => setTimeout(r, Math.max(0, started + (i + 1) * 100 - Date.now())));
    }
    const during = updates().length;
    const lastVote = Date.now();
    await waitFor(() => updates().some((u) => u.includes('40 of 41 voted')), 'the final tally', 5000);
    const shownAfter = Date.now() - lastVote;
    const streamMs = lastVote - started;
    expect(during).toBeGreaterThanOrEqual(Math.floor(streamMs / STREAM_INTERVAL_MS / 2)); // updated during the stream, not only after it
    expect(during).toBeLessThanOrEqual(Math.ceil(streamMs / STREAM_INTERVAL_MS) + 1); // and no more than one an interval
    expect(shownAfter).toBeLessThanOrEqual(STREAM_INTERVAL_MS + 500);
  });

  it('sends only the latest poll state after a rate limit, while votes stream in', async () => {
    for (let i = 0; i < 6; i++) await command('UADMIN', '/coop', `member add <@UM${i}>`);
    await command('UADMIN', '/coop', 'poll Limited? | yes | no');
    slack.rateLimit.set('chat.update', 1);
    for (let i = 0; i < 6; i++) await press(`UM${i}`, 1, 'yes', `8.${i}`);
    await waitFor(() => slack.posted('chat.update').some((u) => textOf(u).includes('6 of 7 voted')), 'the latest state', 5000);
    // The refused update is not sent again as it was: what follows is the state of the moment.
    expect(slack.calls.filter((c) => c.method === 'chat.update (429)')).toHaveLength(1);
    expect(slack.posted('chat.update').length).toBeLessThanOrEqual(2);
  });

  it('cancels a poll it cannot post in the channel, leaving nothing open, and says to invite it', async () => {
    await command('UADMIN', '/coop', 'member add <@UALICE>');
    slack.notIn.add('C0GENERAL');
    const r = await command('UALICE', '/coop', 'poll Lunch? | pizza | soup');
    expect(textOf(r[0])).toContain('I cannot post in this channel (not_in_channel), so poll #1 was cancelled');
    expect(textOf(r[0])).toContain('/invite @');
    expect(r[0]?.response_type).toBe('ephemeral');
    expect((dumpDatabase(dir).Poll as { status: string }[]).map((p) => p.status)).toEqual(['cancelled']);
    // Elsewhere the bot still works.
    slack.notIn.clear();
    expect(textOf((await command('UALICE', '/coop', 'poll Lunch? | pizza | soup'))[0])).not.toContain('cannot post');
    expect((dumpDatabase(dir).Poll as { status: string }[]).map((p) => p.status)).toEqual(['cancelled', 'open']);
  });

  it('warns at start, naming it, when the governance channel is one the bot is not in', async () => {
    slack.notIn.add('C0GOV');
    const warnings: string[] = [];
    const other = createSlackAdapter({
      core,
      settings: { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl, governanceChannel: 'C0GOV', port: 0 },
      timezone: 'UTC',
      logger: { ...silentLogger, warn: (m) => warnings.push(m) },
    });
    await other.start();
    await other.stop();
    expect(warnings).toEqual([expect.stringMatching(/^SLACK_GOVERNANCE_CHANNEL C0GOV: the bot is not in this channel.*\/invite/)]);
  });

  it('keeps the bot running when Slack cannot be reached at start, shows it on /healthz, and connects once Slack answers', async () => {
    const closed = await freePort();
    const lines: string[] = [];
    const record = (m: string) => lines.push(m);
    const other = createSlackAdapter({
      core,
      settings: { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: `http://127.0.0.1:${closed}/api/`, port: 0 },
      timezone: 'UTC',
      logger: { debug: record, info: record, warn: record, error: record },
      retryBaseMs: 50,
    });
    await other.start(); // returns: the console, Matrix and the web pages go on
    expect(core.health.report()).toEqual({ status: 'degraded', problems: { slack: expect.stringMatching(/^Slack cannot be reached \(.*ECONNREFUSED.*\); trying again$/) } });
    expect(lines.join('\n')).not.toMatch(/\n\s+at /); // no stack trace
    const back = new FakeSlack();
    await back.start(closed);
    try {
      await waitFor(() => core.health.report().status === 'ok', 'Slack to be reached again', 10_000);
      expect(back.posted('auth.test')).toHaveLength(1);
      expect(lines).toContain('slack reached again');
    } finally {
      await other.stop();
      await back.stop();
    }
  });

  it('names people by their Slack display name: looked up at start and after a mention, renamed when Slack says so', async () => {
    slack.names.set('UADMIN', 'Ada Admin');
    slack.names.set('UDAVE', 'Dave');
    const names = () => (dumpDatabase(dir).Member as { name: string }[]).map((m) => m.name).sort();
    // The board member from COOP_BOARD was recorded as UADMIN: a lookup at the next start names them.
    await adapter.stop();
    adapter = createSlackAdapter({ core, settings: { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl, governanceChannel: 'C0GOV', port: 0 }, timezone: 'UTC', logger: silentLogger });
    port = (await adapter.start()).port ?? 0;
    await adapter.idle();
    expect(names()).toEqual(['Ada Admin']);
    await command('UADMIN', '/coop', 'member add <@UDAVE>');
    expect(names()).toEqual(['Ada Admin', 'Dave']);
    // Dave changes his display name in Slack.
    const event = JSON.stringify({ token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: 'Ev1', event_time: 1, event: { type: 'user_change', user: { id: 'UDAVE', name: 'dave', profile: { display_name: 'David' } } } });
    expect((await post(event, { ...sign(event), 'content-type': 'application/json' })).status).toBe(200);
    await adapter.idle();
    expect(names()).toEqual(['Ada Admin', 'David']);
    // Outside Slack (the console, the report, Matrix) they show by name.
    const roster = await core.handle({ group: 'coop', text: 'members', actor: { platform: 'slack', externalId: 'UADMIN' }, platform: { name: 'console', commandPrefix: (g) => `/${g}` } });
    expect(JSON.stringify(roster)).toContain('David');
  });

  it('reads a mention in a poll question as one person, not as another option', async () => {
    await command('UADMIN', '/coop', 'member add <@UALICE>');
    await command('UALICE', '/coop', 'poll Should <@UADMIN|admin> chair the AGM? | yes | no | later');
    const poll = (dumpDatabase(dir).Poll as { question: string; options: string }[])[0];
    expect(poll?.question).toBe('Should <@UADMIN|admin> chair the AGM?');
    expect(JSON.parse(poll?.options ?? '[]')).toEqual(['yes', 'no', 'later']);
  });

  it('sends nudges to maintainers as direct messages', async () => {
    await command('UADMIN', '/coop', 'member add <@UALICE>');
    await command('UALICE', '/service', 'propose wiki user The wiki');
    await command('UADMIN', '/service', 'report wiki Broken');
    const dm = slack.posted('chat.postMessage').find((m) => m.channel === 'DUALICE');
    expect(textOf(dm)).toContain('Deficiency reported against *wiki*');
    expect(slack.posted('conversations.open')[0]).toMatchObject({ users: 'UALICE' });
  });
});
