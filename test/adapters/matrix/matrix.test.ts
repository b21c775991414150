// The Matrix adapter against a local stand-in homeserver, on a real SQLite database.
import { waitFor } from '../../helpers/wait.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMatrixAdapter, type MatrixAdapter } from '../../../adapters/matrix/adapter.js';
import { POLL_END, POLL_RESPONSE, POLL_START } from '../../../adapters/matrix/render.js';
import { createApp, type App } from '../../../src/app.js';
import { loadCatalogueFile } from '../../../src/catalogue-file.js';
import { loadConfig, type Config } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { dumpDatabase } from '../../helpers/console.js';
import { FakeHomeserver } from '../../helpers/fake-homeserver.js';
import { tempDir } from '../../helpers/tmp.js';
import { databaseUrl, sql } from '../../helpers/engine.js';

const ROOM = '!coop:test.local';
const OTHER = '!elsewhere:test.local';
const [ADMIN, ALICE, BOB, CAROL] = ['@admin:test.local', '@alice:test.local', '@bob:test.local', '@carol:test.local'] as const;
const catalogue = loadCatalogueFile('catalogues/coop-default.json');

let hs: FakeHomeserver;
let core: App;
let adapter: MatrixAdapter;
let dir: string;
let config: Config;

async function boot(): Promise<void> {
  core = await createApp({ config, logger: silentLogger, tick: false });
  adapter = createMatrixAdapter({ core, settings: config.matrix!, logger: silentLogger, syncTimeoutMs: 0, sendTimeoutMs: 400, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 1100))) });
  core.notifier.add(adapter.notifier);
  await adapter.connect();
  await core.start();
  await adapter.syncOnce(); // the first sync only finds the position
}

beforeEach(async () => {
  dir = tempDir();
  hs = new FakeHomeserver();
  await hs.start();
  config = loadConfig({
    DATABASE_URL: databaseUrl(dir),
    COOP_BOARD: `matrix:${ADMIN}`,
    MATRIX_HOMESERVER_URL: hs.url,
    MATRIX_ACCESS_TOKEN: 'syt_test',
    MATRIX_ROOMS: ROOM,
  });
  await boot();
});

afterEach(async () => {
  await core.close();
  await hs.stop();
});

/** Sends lines as people in the room, then one sync; returns the bot's messages, as text. */
async function say(...lines: [string, string][]): Promise<string> {
  const before = hs.sent.length;
  for (const [who, body] of lines) hs.say(ROOM, who, body);
  await adapter.syncOnce();
  return hs.sent.slice(before).map((s) => String(s.content.body ?? '')).join('\n');
}

function respond(who: string, startId: string, answers: string[]): string {
  return hs.push(ROOM, who, POLL_RESPONSE, { 'm.relates_to': { rel_type: 'm.reference', event_id: startId }, [POLL_RESPONSE]: { answers } });
}

async function members() {
  await say([ADMIN, `!coop member add ${ALICE}`], [ADMIN, `!coop member add ${BOB}`], [ADMIN, `!coop member add ${CAROL}`]);
}

describe('Matrix adapter', () => {
  it('joins its configured room and runs a whole verification through poll events', async () => {
    expect(hs.joins).toContain(ROOM);
    await members();
    expect(await say([ALICE, '!service propose wiki user A wiki'])).toContain('New service wiki (User service) proposed by @alice:test.local');
    await say(
      ...catalogue.levels.alpha.map((r): [string, string] => [ALICE, r.key === 'alpha.principles' ? `!service assess wiki ${r.key} deviation Users write the card` : `!service assess wiki ${r.key} met`]),
    );
    const out = await say([ALICE, '!service request wiki alpha']);
    expect(out).toContain('Poll #1 is open in the governance room');
    // The message before the poll event says what a yes approves; the deviation stands out.
    const told = hs.sentIn(ROOM, 'm.room.message').map((e) => String(e.content.formatted_body ?? ''));
    expect(told.some((h) => h.includes('<li>✓ alpha.plan Plan of what is needed: met</li>'))).toBe(true);
    expect(told.some((h) => h.includes('<li><strong>⚠ alpha.principles Aligned with co-op principles: DEVIATION, agreed by a yes — Users write the card</strong></li>'))).toBe(true);
    const start = hs.sentIn(ROOM, POLL_START).at(-1);
    expect(start).toBeDefined();
    const poll = start?.content[POLL_START] as { question: Record<string, string>; answers: { id: string }[] };
    expect(Object.values(poll.question)).toContain('Verify wiki at alpha?');
    expect(poll.answers.map((a) => a.id)).toEqual(['o0', 'o1', 'o2']);
    expect(String(start?.content.body)).toContain('!coop vote 1 <option>');

    const startId = start?.eventId as string;
    respond(BOB, startId, ['o0']);
    respond(CAROL, startId, ['o1']);
    respond(CAROL, startId, ['o0']); // changed: the latest counts
    respond(ADMIN, startId, ['o0']);
    respond(ALICE, startId, ['o0']);
    await adapter.syncOnce();
    await waitFor(() => hs.sentIn(ROOM, POLL_END).length > 0, 'the poll end event');
    const end = hs.sentIn(ROOM, POLL_END);
    expect(end).toHaveLength(1);
    expect(end[0]?.content['m.relates_to']).toEqual({ rel_type: 'm.reference', event_id: startId });
    expect(String(end[0]?.content.body)).toContain('passed, 4 yes to 0 no');
    expect(await say([CAROL, '!service level wiki'])).toContain('wiki is alpha since');
    expect((dumpDatabase(dir).Vote as unknown[]).length).toBe(4);
    // Each call to the homeserver is counted for /metrics, and the sync's lag is shown.
    const metrics = await core.deps.metrics.text();
    expect(metrics).toMatch(/^smb_chat_api_calls_total\{platform="matrix",method="rooms.send",result="ok"\} [1-9]/m);
    expect(metrics).toMatch(/^smb_matrix_sync_lag_seconds \d/m);
  });

  it('shows a meeting agenda in HTML, with whole commands written with the Matrix prefix', async () => {
    await members();
    await say([ALICE, '!service propose wiki user A wiki'], [ADMIN, `!coop member remove ${ALICE}`], [ADMIN, `!coop meeting agm ${new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10)}`]);
    hs.say(ROOM, CAROL, '!coop agenda');
    await adapter.syncOnce();
    const reply = hs.sentIn(ROOM, 'm.room.message').at(-1);
    expect(String(reply?.content.formatted_body)).toContain('<h4>Agenda of the AGM #1');
    expect(String(reply?.content.formatted_body)).toContain('<li>wiki (proposed) — <code>!service maintainer wiki add &lt;user&gt;</code></li>');
    expect(String(reply?.content.body)).not.toContain('/service');
  });

  it('replies in HTML with a plain body, as a reply, with a reaction', async () => {
    const id = hs.say(ROOM, CAROL, '!service help');
    await adapter.syncOnce();
    const reply = hs.sentIn(ROOM, 'm.room.message').at(-1);
    expect(reply?.content.format).toBe('org.matrix.custom.html');
    expect(String(reply?.content.formatted_body)).toContain('<code>!service propose &lt;name&gt; &lt;kind&gt; &lt;summary…&gt;</code>');
    expect(reply?.content['m.relates_to']).toEqual({ 'm.in_reply_to': { event_id: id } });
    expect(hs.sentIn(ROOM, 'm.reaction').at(-1)?.content['m.relates_to']).toEqual({ rel_type: 'm.annotation', event_id: id, key: '✅' });
  });

  it('answers bad input in the room, changing nothing', async () => {
    await members();
    const before = dumpDatabase(dir);
    const id = hs.say(ROOM, ALICE, '!service propose Wiki! user Nope');
    await adapter.syncOnce();
    expect(String(hs.sentIn(ROOM, 'm.room.message').at(-1)?.content.body)).toContain('is not right for <name>');
    expect(hs.sentIn(ROOM, 'm.reaction').at(-1)?.content['m.relates_to']).toMatchObject({ event_id: id, key: '❌' });
    const { ProcessedEvent: _a, KeyValue: _b, ...after } = dumpDatabase(dir);
    const { ProcessedEvent: _c, KeyValue: _d, ...was } = before;
    expect(after).toEqual(was);
  });

  it('writes commands with the Matrix prefix in its answers', async () => {
    const out = await say([CAROL, '!service level ghost']);
    expect(out).toContain('See the list with `!service list`');
    expect(out).not.toContain('/service');
  });

  it('reads pills as the people they name', async () => {
    hs.push(ROOM, ADMIN, 'm.room.message', {
      msgtype: 'm.text',
      body: '!coop member add Alice',
      format: 'org.matrix.custom.html',
      formatted_body: '!coop member add <a href="https://matrix.to/#/@alice:test.local">Alice</a>',
    });
    await adapter.syncOnce();
    expect(String(hs.sent.at(-2)?.content.body)).toContain('@alice:test.local is now a co-op member.');
  });

  it('counts a response replayed after a restart once, and does not reply twice', async () => {
    await members();
    await say([BOB, '!coop poll Picnic?']);
    const startId = hs.sentIn(ROOM, POLL_START).at(-1)?.eventId as string;
    const sinceBefore = (dumpDatabase(dir).KeyValue as { key: string; value: string }[]).find((k) => k.key === 'matrix:since')?.value;
    respond(ALICE, startId, ['o0']);
    hs.say(ROOM, CAROL, '!coop polls');
    await adapter.syncOnce();
    const sentAfterFirst = hs.sent.length;
    // The bot dies before the sync position was saved: the same batch comes again.
    await core.close();
    sql(dir, `UPDATE "KeyValue" SET "value" = '${String(sinceBefore)}' WHERE "key" = 'matrix:since'`);
    await boot();
    expect(dumpDatabase(dir).Vote).toHaveLength(1);
    expect(hs.sent.length).toBe(sentAfterFirst);
    expect((dumpDatabase(dir).AuditEvent as { action: string }[]).filter((a) => a.action === 'poll.voted')).toHaveLength(1);
  });

  it('claims an event in the same transaction as its change, so a redelivery changes nothing', async () => {
    await members();
    await say([ALICE, '!service propose wiki user The wiki']);
    const input = {
      group: 'service' as const,
      text: 'report wiki The wiki is down',
      actor: { platform: 'matrix' as const, externalId: CAROL },
      platform: { name: 'matrix' as const, commandPrefix: (g: string) => `!${g}` },
      idempotencyKey: 'matrix:$redelivered',
    };
    expect((await core.handle(input)).outcome).toBe('ok');
    expect((await core.handle(input)).outcome).toBe('duplicate');
    expect(dumpDatabase(dir).Deficiency).toHaveLength(1);
    // A refused command claims nothing: it is answered again, and still changes nothing.
    const bad = { ...input, text: 'report ghost Nope', idempotencyKey: 'matrix:$bad' };
    expect((await core.handle(bad)).outcome).toBe('error');
    expect((await core.handle(bad)).outcome).toBe('error');
  });

  it('withdraws a vote on an empty response and tells a non-elector privately', async () => {
    await members();
    await say([BOB, '!coop poll Picnic?']);
    const startId = hs.sentIn(ROOM, POLL_START).at(-1)?.eventId as string;
    respond(ALICE, startId, ['o1']);
    await adapter.syncOnce();
    expect(dumpDatabase(dir).Vote).toHaveLength(1);
    respond(ALICE, startId, []);
    respond('@mallory:evil.example', startId, ['o0']);
    await adapter.syncOnce();
    expect(dumpDatabase(dir).Vote).toHaveLength(0);
    const dm = hs.sentIn('!dm-malloryevil.example:test.local', 'm.room.message');
    expect(String(dm[0]?.content.body)).toContain('You are not an elector of poll #1');
  });

  it('counts a stable m.poll.response (m.selections) like the unstable form, and withdraws on an empty one', async () => {
    await members();
    await say([BOB, '!coop poll Picnic? | park | beach']);
    const startId = hs.sentIn(ROOM, POLL_START).at(-1)?.eventId as string;
    const stable = (who: string, selections: string[]) => hs.push(ROOM, who, 'm.poll.response', { 'm.relates_to': { rel_type: 'm.reference', event_id: startId }, 'm.selections': selections });
    stable(ALICE, ['o1']);
    respond(CAROL, startId, ['o0']);
    await adapter.syncOnce();
    const votes = () => (dumpDatabase(dir).Vote as { option: string }[]).map((v) => v.option).sort();
    expect(votes()).toEqual(['beach', 'park']);
    stable(ALICE, []);
    await adapter.syncOnce();
    expect(votes()).toEqual(['park']);
  });

  it('names people by their display name: from member events, and from profiles after a command or a mention', async () => {
    hs.names.set(ADMIN, 'Ada Admin');
    hs.names.set(CAROL, 'Carol Cook');
    hs.push(ROOM, BOB, 'm.room.member', { membership: 'join', displayname: 'Bob Builder' });
    await say([ADMIN, `!coop member add ${BOB}`], [ADMIN, `!coop member add ${CAROL}`]);
    await adapter.syncOnce();
    const names = () => (dumpDatabase(dir).Member as { name: string }[]).map((m) => m.name).sort();
    expect(names()).toEqual(['Ada Admin', 'Bob Builder', 'Carol Cook']);
    hs.push(ROOM, BOB, 'm.room.member', { membership: 'join', displayname: 'Robert' });
    await adapter.syncOnce();
    expect(names()).toEqual(['Ada Admin', 'Carol Cook', 'Robert']);
    // Elsewhere (the console here; Slack and the web pages alike) they show by name.
    const roster = await core.handle({ group: 'coop', text: 'members', actor: { platform: 'matrix', externalId: ADMIN }, platform: { name: 'console', commandPrefix: (g) => `/${g}` } });
    expect(JSON.stringify(roster)).toContain('Carol Cook');
  });

  it('answers !coop report with what the meeting must decide, and the whole report as a Markdown file', async () => {
    await members();
    for (let i = 0; i < 20; i++) hs.say(ROOM, ALICE, `!service propose svc-${i} user Service ${i} ${'with a long summary '.repeat(5)}`);
    await adapter.syncOnce();
    const before = hs.sent.length;
    await say([CAROL, '!coop report']);
    const sent = hs.sent.slice(before);
    const message = sent.find((e) => e.content.msgtype !== 'm.file' && String(e.content.body ?? '').includes('must decide or note'));
    expect(message).toBeDefined();
    expect(JSON.stringify(message?.content).length).toBeLessThan(8_000);
    const file = sent.find((e) => e.content.msgtype === 'm.file');
    expect(file?.roomId).toBe(message?.roomId);
    expect(file?.content).toMatchObject({ filename: expect.stringMatching(/\.md$/), info: { mimetype: 'text/markdown' } });
    const whole = hs.media.get(String(file?.content.url)) ?? '';
    expect(whole).toContain('## Services by level');
    expect(whole).toContain('svc-19');
  });

  it('posts a send retried after a timeout once', async () => {
    const before = hs.sentIn(ROOM, 'm.room.message').length;
    // The first answer to the reply comes too late for the bot; it tries again.
    const id = hs.say(ROOM, CAROL, '!coop meetings');
    const { createHash } = await import('node:crypto');
    hs.slow.set(`reply.${createHash('sha256').update(id).digest('hex').slice(0, 24)}.m`, 1500);
    await adapter.syncOnce();
    const replies = hs.sentIn(ROOM, 'm.room.message').slice(before);
    expect(replies).toHaveLength(1);
    expect(hs.requests.filter((r) => r.startsWith('PUT /rooms/!coop:test.local/send/m.room.message/reply.')).length).toBeGreaterThanOrEqual(2);
  });

  it('waits out a 429 (Retry-After header) and sends once', async () => {
    hs.rateLimited = 1;
    const t0 = Date.now();
    await say([CAROL, '!coop meetings']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(hs.sentIn(ROOM, 'm.room.message')).toHaveLength(1);
  });

  it('ignores rooms it is not configured for, and declines their invitations', async () => {
    hs.say(OTHER, ADMIN, `!coop member add ${ALICE}`);
    hs.invites.push(OTHER, ROOM);
    await adapter.syncOnce();
    expect(hs.sent).toHaveLength(0);
    expect(dumpDatabase(dir).Member).toHaveLength(1);
    expect(hs.leaves).toEqual([OTHER]);
    expect(hs.joins.filter((r) => r === ROOM).length).toBe(2);
  });

  it('fills in a limited timeline', async () => {
    await members();
    hs.limitedAt.add(hs.stream.length);
    hs.say(ROOM, ALICE, '!service propose wiki user The wiki');
    hs.say(ROOM, BOB, 'just chatting');
    hs.say(ROOM, ALICE, '!service propose pad user Pads');
    await adapter.syncOnce();
    expect((dumpDatabase(dir).Service as { name: string }[]).map((s) => s.name).sort()).toEqual(['pad', 'wiki']);
  });

  it('sends a link code only in a direct message', async () => {
    await members();
    await say([ALICE, '!coop link']);
    const inRoom = hs.sentIn(ROOM, 'm.room.message').map((s) => String(s.content.body)).join('\n');
    expect(inRoom).not.toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(inRoom).toContain('I sent you a direct message.');
    expect(String(hs.sentIn('!dm-alicetest.local:test.local')[0]?.content.body)).toMatch(/one-time code: `[A-Z0-9]{4}-[A-Z0-9]{4}`/);
  });
});

describe('Matrix adapter, when a room refuses its posts', () => {
  it('keeps syncing: the change stands, the failure is logged, other rooms are answered', async () => {
    await members();
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (m: string) => errors.push(m) };
    const strict = createMatrixAdapter({ core, settings: config.matrix!, logger, syncTimeoutMs: 0, sendTimeoutMs: 400 });
    await strict.connect();
    const realSend = hs.answer.bind(hs);
    hs.answer = (method, room) => (method === 'PUT' && room === ROOM ? { status: 403, body: { errcode: 'M_FORBIDDEN', error: 'not allowed' } } : realSend(method, room));
    hs.say(ROOM, ALICE, '!service propose wiki user The wiki');
    await strict.syncOnce();
    hs.answer = realSend;
    expect((dumpDatabase(dir).Service as unknown[]).length).toBe(1);
    expect(errors).toContain('matrix: could not send a reply');
    // The position moved on: the next sync handles new messages.
    expect(await say([CAROL, '!service level wiki'])).toContain('wiki is proposed since');
  });
});
