// The Matrix adapter. It runs its own sync loop over matrix-bot-sdk's client, because
// the SDK's loop saves the sync position before the batch is handled and does not
// await listeners: here each event is handled, in order, before the position moves,
// and an event handled once is never handled again, even after a crash mid-batch.
import type { App as Core } from '../../src/app.js';
import { StartupError } from '../../src/startup.js';
import { backoffMs } from '../../src/pace.js';
import type { Group, PlatformInfo } from '../../src/context.js';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { MatrixApi, type MatrixEvent } from './api.js';
import { MatrixNotifier, shortHash } from './notifier.js';
import { answerId, commandText, POLL_RESPONSE, pollSelections } from './render.js';
import { MatrixNames } from './names.js';
import { CryptoUnavailable, MatrixCrypto, type Decrypted } from './crypto.js';

const SINCE_KEY = 'matrix:since';
const BACKFILL_PAGES = 5;
/** Syncs to wait for a room key that has not arrived before giving up on a message. */
const KEY_WAIT_SYNCS = 2;
const ENCRYPTION = 'matrix encryption';

export interface MatrixAdapterOptions {
  core: Core;
  settings: NonNullable<Config['matrix']>;
  logger: Logger;
  syncTimeoutMs?: number;
  sendTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The first wait before trying to reach an unreachable homeserver again (default 1 s; doubles, capped at a minute). */
  retryBaseMs?: number;
}

export interface MatrixAdapter {
  notifier: MatrixNotifier;
  /** Who the bot is, which rooms it works in; joins the configured rooms. */
  connect(): Promise<void>;
  /** connect(), then sync until stop(). */
  start(): Promise<void>;
  /** One sync and the handling of its events (the loop calls it; tests may too). */
  syncOnce(): Promise<void>;
  stop(): Promise<void>;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createMatrixAdapter(o: MatrixAdapterOptions): MatrixAdapter {
  const { core, settings, logger } = o;
  const api = new MatrixApi(settings.homeserverUrl, settings.accessToken, logger, o.sendTimeoutMs, o.sleep);
  api.observe = (endpoint, result) => core.deps.metrics.chatCall('matrix', endpoint, result);
  const notifier = new MatrixNotifier(core, api, logger, { prefix: settings.prefix, timezone: core.deps.settings.timezone });
  const platform: PlatformInfo = { name: 'matrix', commandPrefix: (g: Group) => `${settings.prefix}${g}` };
  const commandPattern = new RegExp(`^${escapeRegExp(settings.prefix)}(service|coop)(?:\\s+([\\s\\S]*))?$`, 'i');
  const allowed = new Set<string>();
  let botUserId = '';
  let crypto: MatrixCrypto | null = null;
  let cryptoKey = '';
  /** Megolm sessions already logged as unreadable (once per session of the bot). */
  const unreadable = new Set<string>();
  /** Encrypted events whose key may still come, retried after the next syncs. */
  let awaitingKeys: { roomId: string; ev: MatrixEvent; syncs: number }[] = [];
  const names = new MatrixNames({ core, api, logger, botUserId: () => botUserId });
  let running = false;
  let loop: Promise<void> | null = null;

  const claim = (key: string) => core.store.write((r) => r.events.claim(key, core.deps.clock.now()));

  async function react(roomId: string, eventId: string, ok: boolean): Promise<void> {
    const key = ok ? '✅' : '❌';
    await api.send(roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: eventId, key } }, `react.${shortHash(eventId)}`);
  }

  /**
   * Sending an answer must not hold up the sync: a room where the bot may no longer
   * post would otherwise stop every room. The change, if any, is already committed.
   */
  async function answering(what: string, roomId: string, send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (e) {
      logger.error(`matrix: could not send ${what}`, { room: roomId, error: e instanceof Error ? e.message : String(e) });
    }
  }

  async function handleCommand(roomId: string, ev: MatrixEvent, group: Group, text: string, key: string): Promise<void> {
    const reply = await core.handle({
      group,
      text,
      actor: { platform: 'matrix', externalId: ev.sender },
      room: roomId,
      platform,
      idempotencyKey: key,
    });
    if (reply.outcome === 'duplicate') return;
    const txnBase = `reply.${shortHash(ev.event_id)}`;
    await answering('a reply', roomId, async () => {
      if (reply.secret) {
        await notifier.sendReply(await notifier.directRoom(ev.sender), reply, { txnBase });
        await notifier.sendReply(roomId, { visibility: 'private', outcome: 'ok', blocks: [{ type: 'paragraph', spans: ['I sent you a direct message.'] }] }, { inReplyTo: ev.event_id, txnBase: `${txnBase}.pointer` });
      } else {
        await notifier.sendReply(roomId, reply, { inReplyTo: ev.event_id, txnBase });
      }
    });
    await answering('a reaction', roomId, () => react(roomId, ev.event_id, reply.outcome === 'ok'));
  }

  async function handlePollResponse(roomId: string, ev: MatrixEvent, key: string): Promise<void> {
    const rel = ev.content['m.relates_to'] as { event_id?: unknown } | undefined;
    if (typeof rel?.event_id !== 'string') return;
    const startId = rel.event_id;
    const pollId = await core.store.read((r) => r.pollMessages.pollOf('matrix', roomId, startId));
    if (pollId === null) return;
    const view = await core.pollView(pollId);
    if (!view) return;
    const answers = pollSelections(ev.content);
    // The latest response counts; no answer withdraws the vote, an unknown one spoils it.
    const index = answers.length === 1 && typeof answers[0] === 'string' ? view.options.findIndex((_, i) => answerId(i) === answers[0]) : -1;
    const option = index >= 0 ? view.options[index] : undefined;
    const text = option ? `vote ${pollId} ${option.label}` : `unvote ${pollId}`;
    const reply = await core.handle({ group: 'coop', text, actor: { platform: 'matrix', externalId: ev.sender }, room: roomId, platform, idempotencyKey: key });
    if (reply.outcome !== 'error') return;
    const message = JSON.stringify(reply.blocks);
    if (!option && message.includes('no vote')) return; // withdrew nothing: nothing to say
    logger.info('matrix poll response not counted', { pollId, sender: ev.sender });
    await answering('why a vote did not count', roomId, async () =>
      notifier.sendReply(await notifier.directRoom(ev.sender), reply, { txnBase: `reply.${shortHash(ev.event_id)}` }),
    );
  }

  async function handleEvent(roomId: string, ev: MatrixEvent): Promise<void> {
    if (!ev.event_id || ev.sender === botUserId) return;
    if (ev.type === 'm.room.encrypted') {
      if (!crypto) {
        logOnce(`room:${roomId}`, 'matrix: an encrypted message was skipped: end-to-end encryption is off (see /healthz)', { room: roomId });
        return;
      }
      if (await core.store.read((r) => r.events.has(`matrix:${ev.event_id}`))) return;
      const d = await crypto.decrypt(roomId, ev);
      if (!d.ok) return cannotDecrypt(roomId, ev, d, 0);
      return handleClear(roomId, d.event);
    }
    return handleClear(roomId, ev);
  }

  async function handleClear(roomId: string, ev: MatrixEvent): Promise<void> {
    const key = `matrix:${ev.event_id}`;
    const isCommand = ev.type === 'm.room.message' && typeof ev.content.body === 'string';
    const isResponse = ev.type === POLL_RESPONSE || ev.type === 'm.poll.response';
    if (!isCommand && !isResponse) return;
    if (await core.store.read((r) => r.events.has(key))) return; // handled before a restart
    if (isCommand) {
      const match = commandPattern.exec(commandText(ev.content).trim());
      if (!match?.[1]) return;
      await handleCommand(roomId, ev, match[1].toLowerCase() as Group, match[2] ?? '', key);
      await names.afterCommand(ev.sender, match[2] ?? '');
    } else {
      await handlePollResponse(roomId, ev, key);
    }
    await claim(key); // for what changed nothing; a change claimed it in its own transaction
  }

  function logOnce(key: string, message: string, fields: Record<string, unknown>): void {
    if (unreadable.has(key)) return;
    unreadable.add(key);
    logger.warn(message, fields);
  }

  /**
   * A message the bot cannot decrypt is skipped; its key may still be on its way (it is
   * tried again after the next syncs). When it does not come, the log says so once per
   * session, and the sender is told in the room, once, why the bot cannot read them.
   */
  async function cannotDecrypt(roomId: string, ev: MatrixEvent, d: Extract<Decrypted, { ok: false }>, syncs: number): Promise<void> {
    if (d.missingKey && !d.withheld && syncs < KEY_WAIT_SYNCS) {
      awaitingKeys.push({ roomId, ev, syncs });
      return;
    }
    logOnce(`session:${d.sessionId ?? ev.event_id}`, 'matrix: an encrypted message could not be decrypted; skipped', {
      room: roomId,
      sender: ev.sender,
      reason: d.reason,
      ...(d.withheld ? { withheld: d.withheld } : {}),
    });
    if (!d.missingKey && !d.withheld) return;
    const told = `matrix:undecryptable-told:${roomId}:${ev.sender}`;
    if (await core.store.read((r) => r.events.has(told))) return;
    await claim(told);
    const why =
      d.withheld === 'm.unverified' || d.withheld === 'm.blacklisted'
        ? 'their app does not send message keys to unverified devices, and the bot\'s device is not verified'
        : 'their app did not send the message key to the bot\'s device';
    await answering('why a message could not be read', roomId, () =>
      notifier.sendReply(
        roomId,
        {
          visibility: 'public',
          outcome: 'error',
          blocks: [
            {
              type: 'paragraph',
              spans: [
                `I could not read an encrypted message from ${ev.sender}: ${why}. `,
                'Verify the bot\'s device (its fingerprint is in the bot\'s log at start), or allow sending to unverified devices in the app\'s security settings, then send the command again.',
              ],
            },
          ],
        },
        { inReplyTo: ev.event_id, txnBase: `undecryptable.${shortHash(told)}` },
      ),
    );
  }

  /** Messages that waited for their key: tried again now that a sync brought more keys. */
  async function retryAwaitingKeys(): Promise<void> {
    if (!crypto || awaitingKeys.length === 0) return;
    const waiting = awaitingKeys;
    awaitingKeys = [];
    for (const w of waiting) {
      const d = await crypto.decrypt(w.roomId, w.ev);
      if (d.ok) await handleClear(w.roomId, d.event);
      else await cannotDecrypt(w.roomId, w.ev, d, w.syncs + 1);
    }
  }

  /** The bot's own device: keys published, state restored from the database, kept from now on. */
  async function startCrypto(deviceId: string | undefined): Promise<void> {
    if (crypto) return;
    if (!deviceId) {
      core.health.degraded(ENCRYPTION, 'the homeserver did not name the access token\'s device, so the bot cannot encrypt; encrypted rooms are not read');
      return;
    }
    cryptoKey = `matrix:crypto:${deviceId}`;
    const saved = await core.store.read((r) => r.keyValues.get(cryptoKey));
    try {
      crypto = await MatrixCrypto.open({
        api,
        userId: botUserId,
        deviceId,
        logger,
        saved: saved ? Buffer.from(saved, 'base64') : null,
        save: (bytes) => core.store.write((r) => r.keyValues.set(cryptoKey, bytes.toString('base64'))),
      });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      core.health.degraded(
        ENCRYPTION,
        e instanceof CryptoUnavailable
          ? `${reason}; encrypted rooms are not read until the bot logs in again as a new device (README, "Encrypted rooms")`
          : `cannot start end-to-end encryption (${reason}); encrypted rooms are not read`,
      );
      return;
    }
    notifier.crypto = crypto;
    const c = crypto;
    api.encryptor = async (roomId, type, content) => ((await c.isEncrypted(roomId)) ? { type: 'm.room.encrypted', content: await c.encrypt(roomId, type, content) } : { type, content });
    logger.info('matrix: end-to-end encryption on', { device: deviceId, fingerprint: c.identityKey, restored: saved !== null });
  }

  /** Events a limited timeline left out, oldest first, back to what was handled before. */
  async function backfill(roomId: string, from: string): Promise<MatrixEvent[]> {
    const found: MatrixEvent[] = [];
    let token: string | undefined = from;
    for (let page = 0; page < BACKFILL_PAGES && token; page++) {
      const res = await api.messages(roomId, token);
      for (const ev of res.chunk) {
        if (await core.store.read((r) => r.events.has(`matrix:${ev.event_id}`))) return found.reverse();
        found.push(ev);
      }
      if (res.chunk.length === 0 || res.end === token) break;
      token = res.end;
    }
    return found.reverse();
  }

  async function syncOnce(): Promise<void> {
    const since = await core.store.read((r) => r.keyValues.get(SINCE_KEY));
    const res = await api.sync(since, since ? (o.syncTimeoutMs ?? 30_000) : 0);
    core.deps.metrics.matrixSynced(new Date());
    // Keys first (to-device, device lists, key counts), then the rooms' events.
    if (crypto) {
      await crypto.receiveSync(res);
      await retryAwaitingKeys();
    }
    for (const roomId of Object.keys(res.rooms?.invite ?? {})) {
      if (allowed.has(roomId)) {
        await api.join(roomId);
        logger.info('matrix: joined a configured room on invitation', { room: roomId });
      } else {
        await api.leave(roomId);
        logger.info('matrix: declined an invitation to a room not in MATRIX_ROOMS', { room: roomId });
      }
    }
    if (since) {
      for (const [roomId, room] of Object.entries(res.rooms?.join ?? {})) {
        if (!allowed.has(roomId)) continue;
        const timeline = room.timeline?.events ?? [];
        for (const ev of [...(room.state?.events ?? []), ...timeline]) await names.memberEvent(ev);
        const missed = room.timeline?.limited && room.timeline.prev_batch ? await backfill(roomId, room.timeline.prev_batch) : [];
        for (const ev of [...missed, ...timeline]) await handleEvent(roomId, ev);
      }
    } else {
      // The first sync: members' names from the rooms' state; messages from now on.
      for (const [roomId, room] of Object.entries(res.rooms?.join ?? {})) {
        if (!allowed.has(roomId)) continue;
        for (const ev of [...(room.state?.events ?? []), ...(room.timeline?.events ?? [])]) await names.memberEvent(ev);
      }
      logger.info('matrix: first sync; handling messages from now on');
    }
    // Only now, with every event of the batch handled, does the position move on, in
    // one write with the crypto state it depends on (keys that arrived in this batch).
    const save = (bytes: Buffer | null) =>
      core.store.write(async (r) => {
        if (bytes) await r.keyValues.set(cryptoKey, bytes.toString('base64'));
        await r.keyValues.set(SINCE_KEY, res.next_batch);
      });
    if (crypto) await crypto.keepWith(save);
    else await save(null);
  }

  /** Syncs until stopped; a failing sync is retried with growing waits, shown on /healthz. */
  async function syncLoop(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        await syncOnce();
        failures = 0;
        core.health.recovered('matrix');
      } catch (e) {
        failures++;
        const wait = Math.min(60_000, 1000 * 2 ** Math.min(failures, 6));
        const status = (e as { statusCode?: number }).statusCode;
        const reason =
          status === 401 || status === 403
            ? `the homeserver refuses MATRIX_ACCESS_TOKEN (${(e as { errcode?: string }).errcode ?? status})`
            : `cannot sync with the homeserver (${(e as { code?: string }).code ?? (e instanceof Error ? e.message.split('\n')[0] : String(e))})`;
        core.health.degraded('matrix', reason);
        // Logged in full once per streak; then quietly, with the wait.
        if (failures === 1) logger.error('matrix sync failed; trying again', { error: e instanceof Error ? e.message : String(e), waitMs: wait });
        else logger.warn('matrix sync still failing', { failures, waitMs: wait });
        await (o.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms))))(wait);
      }
    }
  }

  return {
    notifier,
    syncOnce,
    async connect() {
      let deviceId: string | undefined;
      try {
        const me = await api.whoami();
        botUserId = me.user_id;
        deviceId = me.device_id;
      } catch (e) {
        const status = (e as { statusCode?: number }).statusCode;
        const errcode = (e as { errcode?: string }).errcode;
        if (status === 401 || status === 403) {
          throw new StartupError('MATRIX_ACCESS_TOKEN', `the homeserver refused the access token (${errcode ?? status}). Log the bot's account in again and copy its access token.`);
        }
        const code = (e as { code?: string }).code ?? (e instanceof Error ? e.message.split('\n')[0] : String(e));
        throw new StartupError('MATRIX_HOMESERVER_URL', `cannot reach ${settings.homeserverUrl} (${code}).`);
      }
      for (const room of settings.rooms) allowed.add(room.startsWith('#') ? await api.resolveAlias(room) : room);
      const governance = settings.governanceRoom ?? settings.rooms[0];
      notifier.governanceRoom = governance ? (governance.startsWith('#') ? await api.resolveAlias(governance) : governance) : null;
      if (notifier.governanceRoom) allowed.add(notifier.governanceRoom);
      const joined = new Set(await api.joinedRooms());
      for (const room of allowed) if (!joined.has(room)) await api.join(room);
      await startCrypto(deviceId);
      logger.info('matrix adapter connected', { user: botUserId, rooms: [...allowed] });
    },
    async start() {
      const sleep = o.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
      try {
        await this.connect();
      } catch (e) {
        // A refused token stops the bot; a homeserver out of reach does not: the other
        // parts run, /healthz says so, and the bot connects (and resumes its sync from
        // the saved position) when the homeserver is back.
        if (!(e instanceof StartupError) || e.setting !== 'MATRIX_HOMESERVER_URL') throw e;
        core.health.degraded('matrix', `${e.message.replace(/^MATRIX_HOMESERVER_URL: /, '').replace(/\.$/, '')}; trying again`);
        running = true;
        loop = (async () => {
          for (let attempt = 1; running; attempt++) {
            await sleep(backoffMs(attempt, o.retryBaseMs));
            if (!running) return;
            try {
              await this.connect();
              core.health.recovered('matrix');
              await syncLoop();
              return;
            } catch (again) {
              if (again instanceof StartupError && again.setting !== 'MATRIX_HOMESERVER_URL') {
                logger.error(again.message);
                core.health.degraded('matrix', again.message);
                return;
              }
            }
          }
        })();
        return;
      }
      running = true;
      loop = syncLoop();
    },
    async stop() {
      running = false;
      // A long-poll in flight may take up to the sync timeout; its batch is not lost
      // (the position only moves after handling), so do not wait for it for long.
      await Promise.race([loop, new Promise((r) => setTimeout(r, 3000).unref())]);
      await crypto?.close();
    },
  };
}
