// A person in the fake homeserver's rooms with a real device: an OlmMachine from the
// same WebAssembly crypto the bot uses (in memory), publishing its keys, sharing room
// keys with the room's members' devices, encrypting what it says and decrypting what
// the bot posts, as Element would.
import * as wasm from '@matrix-org/matrix-sdk-crypto-wasm';
import type { FakeHomeserver, SentEvent } from './fake-homeserver.js';

type Json = Record<string, unknown>;
const ids = (users: string[]) => users.map((u) => new wasm.UserId(u));

export class MatrixPerson {
  private constructor(
    private readonly hs: FakeHomeserver,
    readonly userId: string,
    readonly deviceId: string,
    private readonly machine: wasm.OlmMachine,
  ) {}

  static async create(hs: FakeHomeserver, userId: string, deviceId = 'PHONE'): Promise<MatrixPerson> {
    await wasm.initAsync();
    const machine = await wasm.OlmMachine.initialize(new wasm.UserId(userId), new wasm.DeviceId(deviceId));
    const person = new MatrixPerson(hs, userId, deviceId, machine);
    await person.flush();
    return person;
  }

  #call(r: Awaited<ReturnType<wasm.OlmMachine['outgoingRequests']>>[number] | wasm.KeysClaimRequest | wasm.ToDeviceRequest): Json {
    const body = JSON.parse(r.body) as Json;
    switch (r.type) {
      case wasm.RequestType.KeysUpload:
        return this.hs.uploadKeys(this.userId, this.deviceId, body);
      case wasm.RequestType.KeysQuery:
        return this.hs.queryKeys(body);
      case wasm.RequestType.KeysClaim:
        return this.hs.claimKeys(body);
      case wasm.RequestType.ToDevice:
        return this.hs.sendToDevice(this.userId, (r as wasm.ToDeviceRequest).event_type, body);
      default:
        return {};
    }
  }

  /** Sends what the device's machine asks for. */
  async flush(): Promise<void> {
    for (const r of await this.machine.outgoingRequests()) if (r.id !== undefined) await this.machine.markRequestAsSent(r.id, r.type, JSON.stringify(this.#call(r)));
  }

  /** The device's own sync: to-device events in, then what they call for out. */
  async sync(): Promise<void> {
    const events = this.hs.takeToDevice(this.userId, this.deviceId);
    await this.machine.receiveSyncChanges(
      JSON.stringify(events),
      new wasm.DeviceLists(),
      new Map([['signed_curve25519', this.hs.otkCount(this.userId, this.deviceId)]]),
      new Set(),
    );
    await this.flush();
  }

  /**
   * Posts an encrypted event in a room; the room key goes to the devices of `to` (by
   * default every member), as a client that shares with unverified devices does, or,
   * with `onlyTrusted`, only to devices it trusts (the others are told it was withheld).
   */
  async send(roomId: string, type: string, content: Json, to = this.hs.roomMembers(roomId), opts: { onlyTrusted?: boolean } = {}): Promise<string> {
    await this.sync();
    await this.machine.updateTrackedUsers(ids(to));
    await this.flush();
    const claim = await this.machine.getMissingSessions(ids(to));
    if (claim) await this.machine.markRequestAsSent(claim.id, claim.type, JSON.stringify(this.#call(claim)));
    const room = new wasm.RoomId(roomId);
    const settings = new wasm.EncryptionSettings();
    if (opts.onlyTrusted) settings.sharingStrategy = wasm.CollectStrategy.onlyTrustedDevices();
    for (const r of await this.machine.shareRoomKey(room, ids(to), settings)) await this.machine.markRequestAsSent(r.id, r.type, JSON.stringify(this.#call(r)));
    const encrypted = await this.machine.encryptRoomEvent(new wasm.RoomId(roomId), type, JSON.stringify(content));
    return this.hs.push(roomId, this.userId, 'm.room.encrypted', JSON.parse(encrypted) as Json);
  }

  say(roomId: string, body: string): Promise<string> {
    return this.send(roomId, 'm.room.message', { msgtype: 'm.text', body });
  }

  /** An event the bot posted, in clear as this person's app shows it. */
  async read(sent: SentEvent): Promise<{ type: string; content: Json }> {
    await this.sync();
    const event = { event_id: sent.eventId, type: sent.type, sender: this.hs.botId, content: sent.content, origin_server_ts: Date.now(), room_id: sent.roomId };
    const d = await this.machine.decryptRoomEvent(JSON.stringify(event), new wasm.RoomId(sent.roomId), new wasm.DecryptionSettings(wasm.TrustRequirement.Untrusted));
    return JSON.parse(d.event) as { type: string; content: Json };
  }

  close(): void {
    this.machine.close();
  }
}
