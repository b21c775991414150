// A local HTTP server speaking the client-server API calls the bot makes: whoami,
// joined rooms, join/leave, aliases, /sync with since tokens, /messages for backfill,
// send with transaction ids (deduplicated like a real homeserver), createRoom. It
// serves a scripted sequence of events and records what the bot sends.
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

export class FakeHomeserver {
  readonly botId = '@bot:test.local';
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
  /** Files uploaded to the media repository, by mxc:// address. */
  media = new Map<string, string>();
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
    const raw = await new Promise<string>((resolve) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c.toString()));
      req.on('end', () => resolve(b));
    });
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
      return json(200, { content_uri: uri });
    }
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    let m: RegExpExecArray | null;
    if (path === '/account/whoami') return json(200, { user_id: this.botId });
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
    return { next_batch: `s${to}`, rooms: { join, invite } };
  }
}
