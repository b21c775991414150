// A local HTTP server speaking the client-server API calls the bot makes: whoami,
// joined rooms, join/leave, aliases, /sync with since tokens, /messages for backfill,
// send with transaction ids (deduplicated like a real homeserver), createRoom, room
// members and state, and the end-to-end encryption endpoints (keys upload, query and
// claim, sendToDevice, with to-device events, device-list changes and key counts in the
// sync). It serves a scripted sequence of events and records what the bot sends. People
// with devices (test/helpers/matrix-person.ts) call the key methods directly.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface SentEvent {
  roomId: string;
  type: string;
  txnId: string;
  eventId: string;
  content: Record<string, unknown>;
}

interface Queued {
  roomId: string;
  event: Record<string, unknown>;
}

interface Device {
  keys?: Record<string, unknown>;
  oneTimeKeys: Map<string, unknown>;
  fallbackKeys: Map<string, unknown>;
  fallbackUsed: boolean;
  inbox: Record<string, unknown>[];
}

type Json = Record<string, unknown>;

export class FakeHomeserver {
  readonly botId = '@bot:test.local';
  botDevice = 'BOTDEVICE';
  /** Devices with their published keys and to-device inboxes, by user, then device id. */
  devices = new Map<string, Map<string, Device>>();
  /** Users whose devices changed since the bot's last sync. */
  #changedForBot = new Set<string>();
  /** Rooms with encryption turned on. */
  encrypted = new Set<string>();
  /** Whether createRoom honours an initial m.room.encryption (a real server does; old tests read DMs in clear). */
  encryptNewRooms = false;
  /** Room members other than the bot, with their membership. */
  members = new Map<string, Map<string, 'join' | 'invite'>>();
  sent: SentEvent[] = [];
  joined = new Set<string>();
  joins: string[] = [];
  leaves: string[] = [];
  invites: string[] = [];
  aliases = new Map<string, string>();
  /** The event stream; a sync token is a position in it. */
  stream: Queued[] = [];
  /** Positions after which a sync shows a limited timeline (only the last event). */
  limitedAt = new Set<number>();
  /** Transaction ids whose first answer is delayed by this many ms. */
  slow = new Map<string, number>();
  /** Answer the next n sends with 429 and this Retry-After (seconds). */
  rateLimited = 0;
  retryAfter = '1';
  requests: string[] = [];
  /** Files uploaded to the media repository, by mxc:// address (as text; `mediaBytes` as sent). */
  media = new Map<string, string>();
  mediaBytes = new Map<string, Buffer>();
  /** Display names the profile API answers, by user id. */
  names = new Map<string, string>();
  /** Lets a test answer a request itself (method, room id of a send); null: answer normally. */
  answer: (method: string, room: string) => { status: number; body: unknown } | null = () => null;
  #txns = new Map<string, string>();
  #server: Server | undefined;
  #n = 0;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Adds an event from someone to a room's timeline; returns its id. */
  push(roomId: string, sender: string, type: string, content: Record<string, unknown>): string {
    const eventId = `$e${++this.#n}`;
    this.stream.push({ roomId, event: { event_id: eventId, type, sender, content, origin_server_ts: Date.now(), room_id: roomId } });
    return eventId;
  }

  say(roomId: string, sender: string, body: string): string {
    return this.push(roomId, sender, 'm.room.message', { msgtype: 'm.text', body });
  }

  /** Turns encryption on in a room (a state event in its timeline). */
  encryptRoom(roomId: string): void {
    this.encrypted.add(roomId);
    this.stream.push({
      roomId,
      event: { event_id: `$e${++this.#n}`, type: 'm.room.encryption', state_key: '', sender: '@admin:test.local', content: { algorithm: 'm.megolm.v1.aes-sha2' }, origin_server_ts: Date.now(), room_id: roomId },
    });
  }

  /** Someone joins a room (recorded as a member; no event in the stream). */
  member(roomId: string, userId: string, membership: 'join' | 'invite' = 'join'): void {
    const m = this.members.get(roomId) ?? new Map<string, 'join' | 'invite'>();
    m.set(userId, membership);
    this.members.set(roomId, m);
  }

  roomMembers(roomId: string): string[] {
    return [...(this.joined.has(roomId) ? [this.botId] : []), ...(this.members.get(roomId)?.keys() ?? [])];
  }

  #device(user: string, device: string): Device {
    const devices = this.devices.get(user) ?? new Map<string, Device>();
    this.devices.set(user, devices);
    let d = devices.get(device);
    if (!d) {
      d = { oneTimeKeys: new Map(), fallbackKeys: new Map(), fallbackUsed: false, inbox: [] };
      devices.set(device, d);
    }
    return d;
  }

  otkCount(user: string, device: string): number {
    return this.devices.get(user)?.get(device)?.oneTimeKeys.size ?? 0;
  }

  uploadKeys(user: string, device: string, body: Json): Json {
    const d = this.#device(user, device);
    if (body.device_keys) {
      d.keys = body.device_keys as Json;
      if (user !== this.botId) this.#changedForBot.add(user);
    }
    for (const [id, key] of Object.entries((body.one_time_keys ?? {}) as Json)) {
      if (d.oneTimeKeys.has(id) && JSON.stringify(d.oneTimeKeys.get(id)) !== JSON.stringify(key)) throw new Error(`one-time key ${id} uploaded twice with different keys`);
      d.oneTimeKeys.set(id, key);
    }
    const fallback = Object.entries((body.fallback_keys ?? {}) as Json);
    if (fallback.length > 0) {
      d.fallbackKeys = new Map(fallback);
      d.fallbackUsed = false;
    }
    return { one_time_key_counts: { signed_curve25519: d.oneTimeKeys.size } };
  }

  queryKeys(body: Json): Json {
    const out: Record<string, Json> = {};
    for (const [user, wanted] of Object.entries((body.device_keys ?? {}) as Record<string, string[]>)) {
      out[user] = {};
      for (const [id, d] of this.devices.get(user) ?? []) if (d.keys && (wanted.length === 0 || wanted.includes(id))) (out[user] as Json)[id] = d.keys;
    }
    return { device_keys: out, failures: {} };
  }

  claimKeys(body: Json): Json {
    const out: Record<string, Record<string, Json>> = {};
    for (const [user, devices] of Object.entries((body.one_time_keys ?? {}) as Record<string, Record<string, string>>)) {
      for (const id of Object.keys(devices)) {
        const d = this.devices.get(user)?.get(id);
        if (!d) continue;
        const first = d.oneTimeKeys.keys().next();
        let claimed: [string, unknown] | undefined;
        if (!first.done) {
          claimed = [first.value, d.oneTimeKeys.get(first.value)];
          d.oneTimeKeys.delete(first.value);
        } else {
          const fb = d.fallbackKeys.entries().next();
          if (!fb.done) {
            claimed = fb.value;
            d.fallbackUsed = true;
          }
        }
        if (claimed) ((out[user] ??= {})[id] = { [claimed[0]]: claimed[1] });
      }
    }
    return { one_time_keys: out, failures: {} };
  }

  sendToDevice(sender: string, type: string, body: Json): Json {
    for (const [user, byDevice] of Object.entries((body.messages ?? {}) as Record<string, Record<string, Json>>)) {
      for (const [device, content] of Object.entries(byDevice)) {
        const targets = device === '*' ? [...(this.devices.get(user)?.keys() ?? [])] : [device];
        for (const t of targets) this.#device(user, t).inbox.push({ type, sender, content });
      }
    }
    return {};
  }

  /** A device's to-device events, taken out of its inbox. */
  takeToDevice(user: string, device: string): Record<string, unknown>[] {
    return this.#device(user, device).inbox.splice(0);
  }

  sentIn(roomId: string, type?: string): SentEvent[] {
    return this.sent.filter((s) => s.roomId === roomId && (!type || s.type === type));
  }

  async start(port = 0): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((r) => this.#server?.listen(port, '127.0.0.1', r));
    const a = this.#server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((r) => this.#server?.close(() => r()));
  }

  async #handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const bytes = await new Promise<Buffer>((resolve) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => resolve(Buffer.concat(parts)));
    });
    const raw = bytes.toString();
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname).replace('/_matrix/client/v3', '');
    this.requests.push(`${req.method} ${path}`);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    if (url.pathname === '/_matrix/media/v3/upload' && req.method === 'POST') {
      const uri = `mxc://test.local/m${this.media.size + 1}`;
      this.media.set(uri, raw);
      this.mediaBytes.set(uri, bytes);
      return json(200, { content_uri: uri });
    }
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    let m: RegExpExecArray | null;
    if (path === '/account/whoami') return json(200, { user_id: this.botId, device_id: this.botDevice });
    if (path === '/keys/upload') return json(200, this.uploadKeys(this.botId, this.botDevice, body));
    if (path === '/keys/query') return json(200, this.queryKeys(body));
    if (path === '/keys/claim') return json(200, this.claimKeys(body));
    if ((m = /^\/sendToDevice\/([^/]+)\/([^/]+)$/.exec(path))) return json(200, this.sendToDevice(this.botId, m[1] as string, body));
    if ((m = /^\/rooms\/([^/]+)\/members$/.exec(path))) {
      const room = m[1] as string;
      const chunk = this.roomMembers(room).map((u) => ({
        type: 'm.room.member',
        state_key: u,
        sender: u,
        event_id: `$member-${u}`,
        content: { membership: u === this.botId ? 'join' : this.members.get(room)?.get(u) },
      }));
      return json(200, { chunk });
    }
    if ((m = /^\/rooms\/([^/]+)\/state\/m\.room\.encryption\/?$/.exec(path))) {
      return this.encrypted.has(m[1] as string) ? json(200, { algorithm: 'm.megolm.v1.aes-sha2' }) : json(404, { errcode: 'M_NOT_FOUND', error: 'Event not found' });
    }
    if (path === '/joined_rooms') return json(200, { joined_rooms: [...this.joined] });
    const profile = /^\/profile\/([^/]+)\/displayname$/.exec(path);
    if (profile?.[1] !== undefined) {
      const name = this.names.get(profile[1]);
      return name ? json(200, { displayname: name }) : json(404, { errcode: 'M_NOT_FOUND', error: 'Profile not found' });
    }
    if ((m = /^\/join\/(.+)$/.exec(path))) {
      const room = this.aliases.get(m[1] as string) ?? (m[1] as string);
      this.joined.add(room);
      this.joins.push(room);
      return json(200, { room_id: room });
    }
    if ((m = /^\/rooms\/([^/]+)\/leave$/.exec(path))) {
      this.leaves.push(m[1] as string);
      return json(200, {});
    }
    if ((m = /^\/directory\/room\/(.+)$/.exec(path))) {
      const room = this.aliases.get(m[1] as string);
      return room ? json(200, { room_id: room }) : json(404, { errcode: 'M_NOT_FOUND', error: 'no such alias' });
    }
    if (path === '/createRoom') {
      const user = (body.invite as string[] | undefined)?.[0] ?? 'x';
      const room = `!dm-${user.replace(/[@:]/g, '')}:test.local`;
      this.joined.add(room);
      this.member(room, user, 'invite');
      const initial = (body.initial_state ?? []) as { type?: string }[];
      if (this.encryptNewRooms && initial.some((e) => e.type === 'm.room.encryption')) this.encrypted.add(room);
      return json(200, { room_id: room });
    }
    if (path === '/sync') return json(200, this.#sync(url.searchParams.get('since')));
    if ((m = /^\/rooms\/([^/]+)\/messages$/.exec(path))) {
      const from = Number((url.searchParams.get('from') ?? 'p0').slice(1));
      const room = m[1] as string;
      const chunk = this.stream.slice(0, from).map((q, i) => ({ ...q, i })).filter((q) => q.roomId === room).reverse().slice(0, 50);
      const last = chunk.at(-1);
      return json(200, { chunk: chunk.map((q) => q.event), start: `p${from}`, end: last ? `p${last.i}` : `p${from}` });
    }
    if ((m = /^\/rooms\/([^/]+)\/send\/([^/]+)\/([^/]+)$/.exec(path))) {
      const [, roomId, type, txnId] = m as unknown as [string, string, string, string];
      const forced = this.answer(req.method ?? '', roomId);
      if (forced) return json(forced.status, forced.body);
      if (this.rateLimited > 0) {
        this.rateLimited--;
        return json(429, { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many requests' }, { 'retry-after': this.retryAfter });
      }
      let eventId = this.#txns.get(txnId);
      if (!eventId) {
        eventId = `$bot${++this.#n}`;
        this.#txns.set(txnId, eventId);
        this.sent.push({ roomId, type, txnId, eventId, content: body });
      }
      const delay = this.slow.get(txnId);
      if (delay) {
        this.slow.delete(txnId);
        await new Promise((r) => setTimeout(r, delay));
      }
      return json(200, { event_id: eventId });
    }
    return json(404, { errcode: 'M_UNRECOGNIZED', error: `not in the fake: ${req.method} ${path}` });
  }

  #sync(since: string | null): Record<string, unknown> {
    const from = since ? Number(since.slice(1)) : this.stream.length;
    const to = this.stream.length;
    const join: Record<string, { timeline: { events: unknown[]; limited: boolean; prev_batch: string } }> = {};
    const invite: Record<string, unknown> = {};
    for (const room of this.invites.splice(0)) invite[room] = { invite_state: { events: [] } };
    if (since) {
      const limited = [...this.limitedAt].some((p) => p >= from && p < to);
      const slice = this.stream.slice(from, to).map((q, i) => ({ ...q, i: from + i }));
      for (const q of limited ? slice.slice(-1) : slice) {
        join[q.roomId] ??= { timeline: { events: [], limited, prev_batch: `p${q.i}` } };
        join[q.roomId]?.timeline.events.push(q.event);
      }
    }
    const bot = this.#device(this.botId, this.botDevice);
    const changed = [...this.#changedForBot];
    this.#changedForBot.clear();
    return {
      next_batch: `s${to}`,
      rooms: { join, invite },
      to_device: { events: bot.inbox.splice(0) },
      device_lists: { changed, left: [] },
      device_one_time_keys_count: { signed_curve25519: bot.oneTimeKeys.size },
      device_unused_fallback_key_types: bot.fallbackKeys.size > 0 && !bot.fallbackUsed ? ['signed_curve25519'] : [],
    };
  }
}
