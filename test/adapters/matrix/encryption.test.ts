// The Matrix adapter in end-to-end encrypted rooms, against the stand-in homeserver,
// with people as real devices (the same WebAssembly crypto), on a real SQLite database.
import path from 'node:path';
import { PassThrough } from 'node:stream';
import * as wasm from '@matrix-org/matrix-sdk-crypto-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMatrixAdapter, type MatrixAdapter } from '../../../adapters/matrix/adapter.js';
import { POLL_RESPONSE, POLL_START } from '../../../adapters/matrix/render.js';
import { createApp, type App } from '../../../src/app.js';
import { loadCatalogueFile } from '../../../src/catalogue-file.js';
import { loadConfig, type Config } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { dumpDatabase } from '../../helpers/console.js';
import { FakeHomeserver, type SentEvent } from '../../helpers/fake-homeserver.js';
import { MatrixPerson } from '../../helpers/matrix-person.js';
import { tempDir } from '../../helpers/tmp.js';
import { databaseUrl } from '../../helpers/engine.js';

const ROOM = '!board:test.local';
const PLAIN = '!plain:test.local';
const [ADMIN, ALICE, BOB] = ['@admin:test.local', '@alice:test.local', '@bob:test.local'] as const;
const catalogue = loadCatalogueFile('catalogues/coop-default.json');

let hs: FakeHomeserver;
let core: App;
let adapter: MatrixAdapter;
let dir: string;
let config: Config;
let log: string;
const people: MatrixPerson[] = [];

async function boot(): Promise<void> {
  const logger = createLogger({ level: 'info', out: new PassThrough().on('data', (c: Buffer) => (log += c.toString())) });
  core = await createApp({ config, logger, tick: false });
  adapter = createMatrixAdapter({ core, settings: config.matrix!, logger, syncTimeoutMs: 0, sendTimeoutMs: 10_000 }); // key requests under a loaded test run take their time
  core.notifier.add(adapter.notifier);
  await adapter.connect();
  await core.start();
  await adapter.syncOnce(); // the first sync only finds the position
}

async function person(userId: string): Promise<MatrixPerson> {
  const p = await MatrixPerson.create(hs, userId);
  people.push(p);
  return p;
}

beforeEach(async () => {
  dir = tempDir();
  log = '';
  hs = new FakeHomeserver();
  await hs.start();
  hs.encryptRoom(ROOM);
  for (const u of [ADMIN, ALICE, BOB]) hs.member(ROOM, u);
  config = loadConfig({
    DATABASE_URL: databaseUrl(dir),
    COOP_BOARD: `matrix:${ADMIN}`,
    MATRIX_HOMESERVER_URL: hs.url,
    MATRIX_ACCESS_TOKEN: 'syt_test',
    MATRIX_ROOMS: `${ROOM},${PLAIN}`,
  });
  await boot();
});

afterEach(async () => {
  await adapter.stop();
  await core.close();
  await hs.stop();
  for (const p of people.splice(0)) p.close();
});

/** What the bot posted in a room since `from`, as the person's app shows it. */
async function readAll(p: MatrixPerson, roomId: string, from = 0): Promise<{ type: string; content: Record<string, unknown>; sent: SentEvent }[]> {
  const out = [];
  for (const sent of hs.sentIn(roomId).slice(from)) {
    expect(sent.type).toBe('m.room.encrypted');
    out.push({ ...(await p.read(sent)), sent });
  }
  return out;
}

const bodies = (events: { type: string; content: Record<string, unknown> }[]) =>
  events.filter((e) => e.type === 'm.room.message').map((e) => String(e.content.body));

describe('Matrix end-to-end encryption', () => {
  it('publishes its device keys, one-time keys and a fallback key, and tops the one-time keys up', async () => {
    const bot = hs.devices.get(hs.botId)?.get(hs.botDevice);
    expect(bot?.keys).toBeDefined();
    expect(bot?.fallbackKeys.size).toBe(1);
    const published = hs.otkCount(hs.botId, hs.botDevice);
    expect(published).toBeGreaterThanOrEqual(50);
    hs.claimKeys({ one_time_keys: { [hs.botId]: Object.fromEntries(Array.from({ length: 40 }, () => [hs.botDevice, 'signed_curve25519'])) } });
    for (let i = 0; i < 40; i++) hs.claimKeys({ one_time_keys: { [hs.botId]: { [hs.botDevice]: 'signed_curve25519' } } });
    expect(hs.otkCount(hs.botId, hs.botDevice)).toBeLessThan(published);
    await adapter.syncOnce();
    expect(hs.otkCount(hs.botId, hs.botDevice)).toBeGreaterThanOrEqual(published);
    expect(log).toContain('end-to-end encryption on');
  });

  it('reads an encrypted command and answers it encrypted, readable by the person, with nothing in clear', async () => {
    const alice = await person(ALICE);
    await alice.say(ROOM, '!service level ghost');
    await adapter.syncOnce();
    const seen = await readAll(alice, ROOM);
    expect(bodies(seen).join('\n')).toContain('There is no service named `ghost`');
    // The reaction is encrypted too, with its relation in clear for the app to place it.
    const reaction = seen.find((e) => e.type === 'm.reaction');
    expect((reaction?.sent.content['m.relates_to'] as { event_id?: string } | undefined)?.event_id).toMatch(/^\$e/);
    expect(JSON.stringify(hs.sentIn(ROOM))).not.toContain('ghost');
    // A plain room in the same bot stays plain.
    hs.say(PLAIN, BOB, '!service level ghost');
    await adapter.syncOnce();
    expect(hs.sentIn(PLAIN, 'm.room.message').map((s) => String(s.content.body)).join('\n')).toContain('There is no service named `ghost`');
  });

  it('counts an encrypted poll vote on an encrypted poll', async () => {
    const [admin, alice, bob] = [await person(ADMIN), await person(ALICE), await person(BOB)];
    await admin.say(ROOM, `!coop member add ${ALICE}`);
    await admin.say(ROOM, `!coop member add ${BOB}`);
    await alice.say(ROOM, '!service propose wiki user A wiki');
    for (const r of catalogue.levels.alpha) await alice.say(ROOM, `!service assess wiki ${r.key} met`);
    await alice.say(ROOM, '!service request wiki alpha');
    await adapter.syncOnce();
    const seen = await readAll(bob, ROOM);
    const start = seen.find((e) => e.type === POLL_START);
    expect(start).toBeDefined();
    expect(JSON.stringify(start?.content)).toContain('Verify wiki at alpha?');
    await bob.send(ROOM, POLL_RESPONSE, { 'm.relates_to': { rel_type: 'm.reference', event_id: start?.sent.eventId }, [POLL_RESPONSE]: { answers: ['o0'] } });
    await adapter.syncOnce();
    const votes = dumpDatabase(dir).Vote as unknown[];
    expect(votes).toHaveLength(1);
    await bob.say(ROOM, '!coop polls');
    await adapter.syncOnce();
    expect(bodies(await readAll(bob, ROOM, seen.length)).join('\n')).toMatch(/1 of 3 voted/);
  });

  it('keeps its device across a restart: same keys, and a message under a key shared before the restart is read', async () => {
    const alice = await person(ALICE);
    await alice.say(ROOM, '!service level ghost');
    await adapter.syncOnce();
    const keys = JSON.stringify(hs.devices.get(hs.botId)?.get(hs.botDevice)?.keys);
    expect(Object.keys(dumpDatabase(dir).KeyValue as object).length).toBeGreaterThan(0);
    expect(JSON.stringify(dumpDatabase(dir).KeyValue)).toContain('matrix:crypto:BOTDEVICE');
    await adapter.stop();
    await core.close();
    log = '';
    await boot();
    expect(log).toContain('"restored":true');
    expect(JSON.stringify(hs.devices.get(hs.botId)?.get(hs.botDevice)?.keys)).toBe(keys);
    const before = hs.sentIn(ROOM).length;
    await alice.say(ROOM, '!service level phantom'); // the same Megolm session: no new key is sent
    await adapter.syncOnce();
    expect(bodies(await readAll(alice, ROOM, before)).join('\n')).toContain('There is no service named `phantom`');
    expect(log).not.toContain('could not be decrypted');
  });

  it('skips what it cannot decrypt, says why once, and answers the next message', async () => {
    const [alice, bob] = [await person(ALICE), await person(BOB)];
    // Bob's app keeps the room key from the bot's device (as when it refuses unverified devices).
    await bob.send(ROOM, 'm.room.message', { msgtype: 'm.text', body: '!service level ghost' }, [ALICE, BOB]);
    await adapter.syncOnce();
    await adapter.syncOnce();
    await adapter.syncOnce(); // the key might still have come: it waits two syncs
    await bob.send(ROOM, 'm.room.message', { msgtype: 'm.text', body: '!service level ghost' }, [ALICE, BOB]);
    for (let i = 0; i < 3; i++) await adapter.syncOnce();
    await alice.say(ROOM, '!service level phantom');
    await adapter.syncOnce();
    const said = bodies(await readAll(alice, ROOM));
    expect(said.filter((b) => b.includes(`I could not read an encrypted message from ${BOB}`))).toHaveLength(1);
    expect(said.join('\n')).toContain('There is no service named `phantom`');
    expect(said.join('\n')).not.toContain('ghost');
    expect(log.match(/could not be decrypted/g)).toHaveLength(1); // one Megolm session, logged once
  });

  it('says at once when a member’s app withholds its keys from unverified devices', async () => {
    const [alice, bob] = [await person(ALICE), await person(BOB)];
    await bob.send(ROOM, 'm.room.message', { msgtype: 'm.text', body: '!service level ghost' }, undefined, { onlyTrusted: true });
    await adapter.syncOnce(); // the withheld notice came with the message: no waiting for a key
    const said = bodies(await readAll(alice, ROOM));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`I could not read an encrypted message from ${BOB}: their app does not send message keys to unverified devices`);
    expect(log).toContain('"withheld":"m.unverified"');
  });

  it('sends secret answers into an encrypted direct room, and an encrypted room gets the report as an encrypted file', async () => {
    hs.encryptNewRooms = true;
    const [admin, alice] = [await person(ADMIN), await person(ALICE)];
    await admin.say(ROOM, `!coop member add ${ALICE}`);
    await alice.say(ROOM, '!coop link');
    await adapter.syncOnce();
    const dm = '!dm-alicetest.local:test.local';
    expect(hs.encrypted.has(dm)).toBe(true);
    const code = bodies(await readAll(alice, dm)).join('\n');
    expect(code).toMatch(/Your one-time code: `[A-Z0-9]{4}-[A-Z0-9]{4}`/);

    await alice.say(ROOM, '!coop report');
    await adapter.syncOnce();
    const file = (await readAll(alice, ROOM)).find((e) => e.type === 'm.room.message' && e.content.msgtype === 'm.file');
    const info = file?.content.file as { url?: string } | undefined;
    expect(file?.content.url).toBeUndefined();
    const cipher = hs.mediaBytes.get(String(info?.url));
    expect(cipher).toBeDefined();
    expect(cipher?.toString()).not.toContain('# ');
    const clear = Buffer.from(wasm.Attachment.decrypt(new wasm.EncryptedAttachment(new Uint8Array(cipher ?? Buffer.alloc(0)), JSON.stringify(info)))).toString();
    expect(clear).toMatch(/^# /);
  });

  it('treats lost crypto state as a reset: encryption off and said so on /healthz, plain rooms still answered', async () => {
    await adapter.stop();
    await core.close();
    const db = path.join(dir, 'bot.db');
    const { default: Database } = await import('better-sqlite3');
    const sqlite = new Database(db);
    sqlite.prepare("DELETE FROM KeyValue WHERE key LIKE 'matrix:crypto:%'").run();
    sqlite.close();
    await boot();
    const health = core.health.report();
    expect(health.status).toBe('degraded');
    expect(health.problems['matrix encryption']).toContain('already has encryption keys on the homeserver');
    hs.say(PLAIN, BOB, '!service level ghost');
    await adapter.syncOnce();
    expect(hs.sentIn(PLAIN, 'm.room.message').map((s) => String(s.content.body)).join('\n')).toContain('There is no service named `ghost`');
  });
});
