// End-to-end encryption for the bot's own device, with the Rust crypto built as
// WebAssembly (@matrix-org/matrix-sdk-crypto-wasm). The adapter's sync loop feeds the
// machine (to-device events, device-list changes, key counts), the machine's outgoing
// requests (key upload, query and claim, to-device) are sent from here one at a time,
// room events are decrypted before they are handled, and whatever the bot posts in an
// encrypted room is encrypted for the room's members' devices first. The machine's
// state lives in an in-memory IndexedDB and is kept as a snapshot in the bot's
// database (see crypto-store.ts), written before anything that depends on it.
import { createHash, randomUUID } from 'node:crypto';
import * as wasm from '@matrix-org/matrix-sdk-crypto-wasm';
import type { Logger } from '../../src/logger.js';
import { deleteStore, exportStore, importStore } from './crypto-store.js';
import type { MatrixApi, MatrixEvent, SyncResponse } from './api.js';

const enc = encodeURIComponent;
const V3 = '/_matrix/client/v3';

type Outgoing = Awaited<ReturnType<wasm.OlmMachine['outgoingRequests']>>[number];

export type Decrypted =
  | { ok: true; event: MatrixEvent }
  | { ok: false; reason: string; sessionId: string | null; withheld: string | null; missingKey: boolean };

export interface CryptoOptions {
  api: MatrixApi;
  userId: string;
  deviceId: string;
  logger: Logger;
  /** The snapshot kept last time (null: none). */
  saved: Buffer | null;
  /** Keeps a snapshot (the bot's database); resolves once it is written. */
  save: (bytes: Buffer) => Promise<void>;
}

/** Why the crypto cannot run; said once at start, with what to do. */
export class CryptoUnavailable extends Error {}

const ids = (users: Iterable<string>) => [...users].map((u) => new wasm.UserId(u));

export class MatrixCrypto {
  readonly #storeName: string;
  #machine: wasm.OlmMachine;
  #queue: Promise<unknown> = Promise.resolve();
  #savedHash: string | null = null;
  /** Rooms known to be encrypted (for good: encryption cannot be turned off) or not (yet). */
  readonly #encrypted = new Map<string, boolean>();
  /** Members whose devices get a room's key, per room; dropped when membership changes. */
  readonly #members = new Map<string, string[]>();

  private constructor(
    private readonly o: CryptoOptions,
    machine: wasm.OlmMachine,
    storeName: string,
  ) {
    this.#machine = machine;
    this.#storeName = storeName;
  }

  static async open(o: CryptoOptions): Promise<MatrixCrypto> {
    await wasm.initAsync();
    // A store name of its own each time: nothing in memory from before is used, only
    // what the snapshot restores.
    const storeName = `smb-${randomUUID()}`;
    if (o.saved) {
      try {
        await importStore(storeName, o.saved);
      } catch (e) {
        await deleteStore(storeName);
        throw new CryptoUnavailable(`the kept encryption state of device ${o.deviceId} cannot be read (${e instanceof Error ? e.message : String(e)})`);
      }
    } else {
      // No state, but the homeserver has keys for this device: they were made by
      // another client (or by this bot, with its state since lost). Its identity
      // cannot be used again; a new login makes a new device.
      const known = await o.api.request<{ device_keys?: Record<string, Record<string, unknown>> }>('POST', `${V3}/keys/query`, {
        body: { device_keys: { [o.userId]: [o.deviceId] } },
      });
      if (known.device_keys?.[o.userId]?.[o.deviceId]) {
        throw new CryptoUnavailable(
          `device ${o.deviceId} already has encryption keys on the homeserver that this bot does not hold (its state was lost, or the access token belongs to another client's login)`,
        );
      }
    }
    const handle = await wasm.StoreHandle.open(storeName, null);
    const machine = await wasm.OlmMachine.initFromStore(new wasm.UserId(o.userId), new wasm.DeviceId(o.deviceId), handle);
    handle.free();
    const crypto = new MatrixCrypto(o, machine, storeName);
    crypto.#savedHash = o.saved ? hash(o.saved) : null;
    await crypto.#locked(() => crypto.#sendOutgoing());
    await crypto.persist();
    return crypto;
  }

  get identityKey(): string {
    return this.#machine.identityKeys.ed25519.toBase64();
  }

  /** One operation on the machine at a time (its requests would otherwise go out twice). */
  #locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #request(r: Outgoing): Promise<unknown> {
    const { api } = this.o;
    const body = JSON.parse(r.body) as Record<string, unknown>;
    switch (r.type) {
      case wasm.RequestType.KeysUpload:
        return api.request('POST', `${V3}/keys/upload`, { body });
      case wasm.RequestType.KeysQuery:
        return api.request('POST', `${V3}/keys/query`, { body });
      case wasm.RequestType.KeysClaim:
        return api.request('POST', `${V3}/keys/claim`, { body });
      case wasm.RequestType.SignatureUpload:
        return api.request('POST', `${V3}/keys/signatures/upload`, { body });
      case wasm.RequestType.ToDevice: {
        const t = r as wasm.ToDeviceRequest;
        return api.request('PUT', `${V3}/sendToDevice/${enc(t.event_type)}/${enc(t.txn_id)}`, { body, retryTimeouts: true });
      }
      case wasm.RequestType.RoomMessage: {
        const m = r as wasm.RoomMessageRequest;
        return api.request('PUT', `${V3}/rooms/${enc(m.room_id)}/send/${enc(m.event_type)}/${enc(m.txn_id)}`, { body, retryTimeouts: true });
      }
      case wasm.RequestType.KeysBackup: {
        const b = r as wasm.KeysBackupRequest;
        return api.request('PUT', `${V3}/room_keys/keys`, { qs: { version: b.version }, body });
      }
    }
  }

  /** Sends what the machine asks for; a key upload is kept before anything else happens. */
  async #sendOutgoing(): Promise<void> {
    let uploaded = false;
    for (const r of await this.#machine.outgoingRequests()) {
      await this.#send(r);
      if (r.type === wasm.RequestType.KeysUpload) uploaded = true;
    }
    // Published one-time keys must not be published again after a restart.
    if (uploaded) await this.#persistUnlocked();
  }

  /** Sends a request the machine made and gives it the homeserver's answer. */
  async #send(r: Outgoing | wasm.KeysClaimRequest | wasm.ToDeviceRequest): Promise<void> {
    const answer = await this.#request(r);
    if (r.id !== undefined) await this.#machine.markRequestAsSent(r.id, r.type, JSON.stringify(answer ?? {}));
  }

  /** A sync's crypto part, before its room events: to-device, device lists, key counts. */
  async receiveSync(res: SyncResponse): Promise<void> {
    await this.#locked(async () => {
      const processed = await this.#machine.receiveSyncChanges(
        JSON.stringify(res.to_device?.events ?? []),
        new wasm.DeviceLists(ids(res.device_lists?.changed ?? []), ids(res.device_lists?.left ?? [])),
        new Map(Object.entries(res.device_one_time_keys_count ?? {})),
        res.device_unused_fallback_key_types ? new Set(res.device_unused_fallback_key_types) : undefined,
      );
      for (const p of processed) {
        if (p.type === wasm.ProcessedToDeviceEventType.UnableToDecrypt) this.o.logger.warn('matrix: a to-device message could not be decrypted');
      }
      await this.#sendOutgoing();
    });
    for (const [roomId, room] of Object.entries(res.rooms?.join ?? {})) {
      for (const ev of [...(room.state?.events ?? []), ...(room.timeline?.events ?? [])]) this.noteState(roomId, ev);
    }
  }

  /** Room state the crypto cares about: encryption turned on, members coming and going. */
  noteState(roomId: string, ev: MatrixEvent): void {
    if (ev.type === 'm.room.encryption' && ev.state_key === '') this.#encrypted.set(roomId, true);
    if (ev.type === 'm.room.member') this.#members.delete(roomId);
  }

  /** Whether a room is encrypted (asked of the homeserver once, then kept up to date by the sync). */
  async isEncrypted(roomId: string): Promise<boolean> {
    const known = this.#encrypted.get(roomId);
    if (known !== undefined) return known;
    let encrypted = false;
    try {
      const state = await this.o.api.request<{ algorithm?: unknown }>('GET', `${V3}/rooms/${enc(roomId)}/state/m.room.encryption/`);
      encrypted = typeof state.algorithm === 'string';
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 404) throw e;
    }
    if (!this.#encrypted.has(roomId)) this.#encrypted.set(roomId, encrypted);
    return this.#encrypted.get(roomId) ?? encrypted;
  }

  /** The room event in clear, with its id, sender and time, and its relation still usable. */
  async decrypt(roomId: string, ev: MatrixEvent): Promise<Decrypted> {
    const sessionId = typeof ev.content.session_id === 'string' ? ev.content.session_id : null;
    try {
      const d = await this.#locked(() =>
        this.#machine.decryptRoomEvent(JSON.stringify({ ...ev, room_id: roomId }), new wasm.RoomId(roomId), new wasm.DecryptionSettings(wasm.TrustRequirement.Untrusted)),
      );
      const clear = JSON.parse(d.event) as { type?: unknown; content?: unknown };
      if (typeof clear.type !== 'string' || typeof clear.content !== 'object' || clear.content === null) {
        return { ok: false, reason: 'the decrypted event has no type or content', sessionId, withheld: null, missingKey: false };
      }
      const content = { ...(clear.content as Record<string, unknown>) };
      // Relations travel in clear beside the ciphertext (a poll response names its poll there).
      if (content['m.relates_to'] === undefined && ev.content['m.relates_to'] !== undefined) content['m.relates_to'] = ev.content['m.relates_to'];
      return { ok: true, event: { ...ev, type: clear.type, content } };
    } catch (e) {
      if (e instanceof wasm.MegolmDecryptionError) {
        return {
          ok: false,
          reason: e.description,
          sessionId,
          withheld: e.withheldCode ?? null,
          missingKey: e.code === wasm.DecryptionErrorCode.MissingRoomKey || e.code === wasm.DecryptionErrorCode.UnknownMessageIndex,
        };
      }
      return { ok: false, reason: e instanceof Error ? e.message : String(e), sessionId, withheld: null, missingKey: false };
    }
  }

  /** The members whose devices may read what the bot posts in a room (joined and invited). */
  async #roomMembers(roomId: string): Promise<string[]> {
    const known = this.#members.get(roomId);
    if (known) return known;
    const res = await this.o.api.request<{ chunk?: MatrixEvent[] }>('GET', `${V3}/rooms/${enc(roomId)}/members`, { qs: { not_membership: 'leave' } });
    const members = (res.chunk ?? []).flatMap((m) =>
      m.type === 'm.room.member' && typeof m.state_key === 'string' && (m.content.membership === 'join' || m.content.membership === 'invite') ? [m.state_key] : [],
    );
    this.#members.set(roomId, members);
    return members;
  }

  /**
   * Encrypts an event for a room: the members' devices are tracked and asked for, Olm
   * sessions made where missing, the room key shared, then the event encrypted. The state
   * is kept before the ciphertext leaves, so a restart never reuses a message index.
   */
  async encrypt(roomId: string, type: string, content: Record<string, unknown>): Promise<Record<string, unknown>> {
    const members = await this.#roomMembers(roomId);
    const encrypted = await this.#locked(async () => {
      await this.#machine.updateTrackedUsers(ids(members));
      await this.#sendOutgoing();
      const claim = await this.#machine.getMissingSessions(ids(members));
      if (claim) await this.#send(claim);
      const room = new wasm.RoomId(roomId);
      for (const r of await this.#machine.shareRoomKey(room, ids(members), new wasm.EncryptionSettings())) await this.#send(r);
      const out = await this.#machine.encryptRoomEvent(new wasm.RoomId(roomId), type, JSON.stringify(content));
      await this.#persistUnlocked();
      return out;
    });
    return JSON.parse(encrypted) as Record<string, unknown>;
  }

  /** A file for an encrypted room: the ciphertext to upload and what to put in the event's `file`. */
  static encryptFile(data: Buffer): { data: Buffer; file: Record<string, unknown> } {
    const attachment = wasm.Attachment.encrypt(new Uint8Array(data));
    const info = JSON.parse(attachment.mediaEncryptionInfo ?? '{}') as Record<string, unknown>;
    return { data: Buffer.from(attachment.encryptedData), file: info };
  }

  /**
   * Writes the state with something that depends on it (the sync position), in the
   * caller's one write: `write` gets the state's bytes when they changed since last
   * kept, null when they did not. Under the machine's lock, so no older state can
   * overwrite a newer one.
   */
  keepWith(write: (bytes: Buffer | null) => Promise<void>): Promise<void> {
    return this.#locked(async () => {
      const bytes = await exportStore(this.#storeName);
      const h = hash(bytes);
      await write(h === this.#savedHash ? null : bytes);
      this.#savedHash = h;
    });
  }

  async #persistUnlocked(): Promise<void> {
    const bytes = await exportStore(this.#storeName);
    const h = hash(bytes);
    if (h === this.#savedHash) return;
    await this.o.save(bytes);
    this.#savedHash = h;
  }

  /** Keeps the state now, if it changed. */
  persist(): Promise<void> {
    return this.#locked(() => this.#persistUnlocked());
  }

  async close(): Promise<void> {
    await this.#locked(async () => {
      this.#machine.close();
      await deleteStore(this.#storeName);
    });
  }
}

const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
