// The client-server API calls the bot makes, through matrix-bot-sdk's MatrixClient.
// Sends always name their transaction id, so a retried send never posts twice; 429s
// are waited out; a send that timed out is retried with the same transaction id.
import type { MatrixClient } from 'matrix-bot-sdk';
import type { Logger } from '../../src/logger.js';
import { sdk } from './sdk.js';

const MAX_ATTEMPTS = 5;
const DEFAULT_WAIT_MS = 1000;
const MAX_WAIT_MS = 60_000;

export interface SyncResponse {
  next_batch: string;
  to_device?: { events?: unknown[] };
  device_lists?: { changed?: string[]; left?: string[] };
  device_one_time_keys_count?: Record<string, number>;
  device_unused_fallback_key_types?: string[];
  rooms?: {
    join?: Record<string, { state?: { events?: MatrixEvent[] }; timeline?: { events?: MatrixEvent[]; limited?: boolean; prev_batch?: string } }>;
    invite?: Record<string, unknown>;
  };
}

export interface MatrixEvent {
  event_id: string;
  type: string;
  sender: string;
  room_id?: string;
  state_key?: string;
  origin_server_ts?: number;
  content: Record<string, unknown>;
}

const enc = encodeURIComponent;

/** The endpoint a path calls, without ids, event types or transaction ids: `rooms.send`, `sync`. */
export function endpointOf(path: string): string {
  return path
    .replace(/^\/_matrix\/client\/v\d+\//, '')
    .split('/')
    .filter((s) => /^[a-zA-Z_]+$/.test(s))
    .join('.');
}

export class MatrixApi {
  readonly client: MatrixClient;
  /** Encrypts what is sent into an encrypted room; null where there is no end-to-end encryption. */
  encryptor: ((roomId: string, type: string, content: Record<string, unknown>) => Promise<{ type: string; content: Record<string, unknown> }>) | null = null;
  /** Told of every call's result (`ok`, `rate_limited`, an error code), for metrics. */
  observe: (endpoint: string, result: string) => void = () => {};

  constructor(
    homeserverUrl: string,
    accessToken: string,
    private readonly logger: Logger,
    private readonly sendTimeoutMs = 20_000,
    private readonly sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.client = new sdk.MatrixClient(homeserverUrl, accessToken, new sdk.MemoryStorageProvider());
  }

  /** A request, with 429s waited out; `retryTimeouts` also retries when no answer came. */
  async request<T>(method: string, path: string, opts: { qs?: Record<string, unknown>; body?: unknown; timeoutMs?: number; retryTimeouts?: boolean } = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = (await this.client.doRequest(method, path, opts.qs ?? null, opts.body ?? null, opts.timeoutMs ?? this.sendTimeoutMs)) as T;
        this.observe(endpointOf(path), 'ok');
        return answer;
      } catch (e) {
        this.observe(
          endpointOf(path),
          e instanceof sdk.MatrixError ? (e.statusCode === 429 ? 'rate_limited' : e.errcode || String(e.statusCode)) : ((e as { code?: string }).code ?? 'unreachable'),
        );
        if (attempt >= MAX_ATTEMPTS) throw e;
        if (e instanceof sdk.MatrixError && e.statusCode === 429) {
          const wait = Math.min(MAX_WAIT_MS, e.retryAfterMs ?? DEFAULT_WAIT_MS);
          this.logger.warn('matrix rate limit: waiting before trying again', { path: path.replace(/\/send\/.*/, '/send/…'), waitMs: wait });
          await this.sleep(wait);
          continue;
        }
        const code = (e as { code?: string }).code;
        if (opts.retryTimeouts && (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || code === 'ECONNRESET')) {
          this.logger.warn('matrix request timed out; retrying with the same transaction id', { attempt });
          await this.sleep(DEFAULT_WAIT_MS * attempt);
          continue;
        }
        throw e;
      }
    }
  }

  /** Uploads a file to the homeserver's media repository; returns its mxc:// address. */
  async upload(data: Buffer, contentType: string, filename: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        const uri = await this.client.uploadContent(data, contentType, filename);
        this.observe('media.upload', 'ok');
        return uri;
      } catch (e) {
        this.observe('media.upload', e instanceof sdk.MatrixError ? (e.statusCode === 429 ? 'rate_limited' : e.errcode || String(e.statusCode)) : 'unreachable');
        if (!(e instanceof sdk.MatrixError && e.statusCode === 429) || attempt >= MAX_ATTEMPTS) throw e;
        await this.sleep(Math.min(MAX_WAIT_MS, e.retryAfterMs ?? DEFAULT_WAIT_MS));
      }
    }
  }

  /** A person's display name from their profile (null if they have none). */
  async displayName(userId: string): Promise<string | null> {
    const res = await this.request<{ displayname?: unknown }>('GET', `/_matrix/client/v3/profile/${enc(userId)}/displayname`);
    return typeof res.displayname === 'string' ? res.displayname : null;
  }

  whoami(): Promise<{ user_id: string; device_id?: string }> {
    return this.request('GET', '/_matrix/client/v3/account/whoami');
  }

  async joinedRooms(): Promise<string[]> {
    return (await this.request<{ joined_rooms: string[] }>('GET', '/_matrix/client/v3/joined_rooms')).joined_rooms;
  }

  async join(roomIdOrAlias: string): Promise<string> {
    return (await this.request<{ room_id: string }>('POST', `/_matrix/client/v3/join/${enc(roomIdOrAlias)}`, { body: {} })).room_id;
  }

  async leave(roomId: string): Promise<void> {
    await this.request('POST', `/_matrix/client/v3/rooms/${enc(roomId)}/leave`, { body: {} });
  }

  async resolveAlias(alias: string): Promise<string> {
    return (await this.request<{ room_id: string }>('GET', `/_matrix/client/v3/directory/room/${enc(alias)}`)).room_id;
  }

  sync(since: string | null, timeoutMs: number): Promise<SyncResponse> {
    const qs: Record<string, unknown> = { timeout: timeoutMs };
    if (since) qs.since = since;
    return this.request('GET', '/_matrix/client/v3/sync', { qs, timeoutMs: timeoutMs + 30_000 });
  }

  /** Older events of a room, newest first, from a pagination token. */
  messages(roomId: string, from: string, limit = 50): Promise<{ chunk: MatrixEvent[]; end?: string }> {
    return this.request('GET', `/_matrix/client/v3/rooms/${enc(roomId)}/messages`, { qs: { from, dir: 'b', limit } });
  }

  /**
   * PUT with our own transaction id: the homeserver posts it once, however often it is
   * retried. In an encrypted room the event is encrypted first (once, before any retry).
   */
  async send(roomId: string, type: string, content: Record<string, unknown>, txnId: string): Promise<string> {
    const wire = this.encryptor ? await this.encryptor(roomId, type, content) : { type, content };
    const res = await this.request<{ event_id: string }>('PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/${enc(wire.type)}/${enc(txnId)}`, {
      body: wire.content,
      retryTimeouts: true,
    });
    return res.event_id;
  }

  /** A direct room with a person; encrypted from the start when the bot can encrypt. */
  async createDirectRoom(userId: string, encrypted = false): Promise<string> {
    const initial_state = encrypted ? [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }] : [];
    const res = await this.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
      body: { is_direct: true, invite: [userId], preset: 'trusted_private_chat', initial_state },
    });
    return res.room_id;
  }
}
