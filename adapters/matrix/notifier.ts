// Notifications from the core, on Matrix: the governance room, a room, or a direct
// room with a person. Polls become MSC3381 poll events; when a poll closes, its end
// event follows. Every send has a transaction id the bot stored first.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { App as Core } from '../../src/app.js';
import type { Logger } from '../../src/logger.js';
import type { Audience, Notifier } from '../../src/ports.js';
import { withDocumentFile } from '../../src/documents.js';
import { documentFileName, type Reply } from '../../src/reply/model.js';
import type { MatrixApi } from './api.js';
import { MatrixCrypto } from './crypto.js';
import { POLL_END, POLL_START, pollEnd, pollOfReply, pollStart, renderMessage, type MatrixStyle } from './render.js';

export const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 24);

export class MatrixNotifier implements Notifier {
  readonly platform = 'matrix';
  governanceRoom: string | null = null;
  /** The bot's end-to-end encryption, once it runs: new direct rooms are encrypted, and files in encrypted rooms. */
  crypto: MatrixCrypto | null = null;

  constructor(
    private readonly core: Core,
    private readonly api: MatrixApi,
    private readonly logger: Logger,
    private readonly style: MatrixStyle,
  ) {}

  /** A transaction id never used before, also across restarts (stored before use). */
  async nextTxnId(): Promise<string> {
    const n = await this.core.store.write(async (r) => {
      const next = Number((await r.keyValues.get('matrix:txn-counter')) ?? '0') + 1;
      await r.keyValues.set('matrix:txn-counter', String(next));
      return next;
    });
    return `smb.${n}`;
  }

  /** The direct room with a person, created once and remembered. */
  async directRoom(userId: string): Promise<string> {
    const key = `matrix:dm:${userId}`;
    const known = await this.core.store.read((r) => r.keyValues.get(key));
    if (known) return known;
    const roomId = await this.api.createDirectRoom(userId, this.crypto !== null);
    await this.core.store.write((r) => r.keyValues.set(key, roomId));
    return roomId;
  }

  /** Sends a reply or notification to a room; a poll in it also goes out as a poll event. */
  async sendReply(roomId: string, reply: Reply, opts: { inReplyTo?: string; txnBase?: string } = {}): Promise<void> {
    const poll = reply.visibility === 'public' ? pollOfReply(reply) : undefined;
    const txn = opts.txnBase ?? (await this.nextTxnId());
    await this.api.send(roomId, 'm.room.message', renderMessage(reply, this.style, { inReplyTo: opts.inReplyTo, omitPoll: !!poll }), `${txn}.m`);
    if (poll) {
      const eventId = await this.api.send(roomId, POLL_START, pollStart(poll, this.style.prefix), `${txn}.poll`);
      await this.core.store.write((r) => r.pollMessages.record({ pollId: poll.id, platform: 'matrix', room: roomId, messageId: eventId }));
    }
    // A whole document (the AGM report) is far past an event's 64 KB: the message shows its
    // head, and the document follows as a Markdown file in the same room.
    for (const [i, b] of reply.blocks.entries()) {
      if (b.type !== 'document' || !b.whole) continue;
      const filename = documentFileName(b.title);
      // Made section by section into a file; the upload takes it whole.
      const data = await withDocumentFile(this.core.documentSections(b.whole), filename, (file) => readFile(file));
      const info = { mimetype: 'text/markdown', size: data.length };
      let content: Record<string, unknown>;
      if (this.crypto && (await this.crypto.isEncrypted(roomId))) {
        // In an encrypted room the file is encrypted too; its key goes in the (encrypted) event.
        const sealed = MatrixCrypto.encryptFile(data);
        const url = await this.api.upload(sealed.data, 'application/octet-stream', filename);
        content = { msgtype: 'm.file', body: filename, filename, file: { ...sealed.file, url }, info };
      } else {
        const url = await this.api.upload(data, 'text/markdown', filename);
        content = { msgtype: 'm.file', body: filename, filename, url, info };
      }
      await this.api.send(roomId, 'm.room.message', content, `${txn}.file${i}`);
    }
  }

  async notify(audience: Audience, message: Reply): Promise<void> {
    let roomId: string | null = null;
    if (audience.kind === 'governance') roomId = this.governanceRoom;
    else if (audience.kind === 'room') roomId = audience.platform === 'matrix' ? audience.room : null;
    else {
      const mxid = audience.identities.find((k) => k.startsWith('matrix:'))?.slice('matrix:'.length);
      if (mxid) roomId = await this.directRoom(mxid);
    }
    if (roomId) await this.sendReply(roomId, message);
  }

  /** A closed or cancelled poll gets its end event, once per poll message. */
  async pollChanged(pollId: number): Promise<void> {
    const view = await this.core.pollView(pollId);
    if (!view || view.status === 'open') return;
    const messages = await this.core.store.read((r) => r.pollMessages.forPoll(pollId, 'matrix'));
    for (const m of messages) {
      const key = `matrix:poll-ended:${m.messageId}`;
      if (await this.core.store.read((r) => r.keyValues.get(key))) continue;
      await this.api.send(m.room, POLL_END, pollEnd(view, m.messageId, this.style), `end.${shortHash(m.messageId)}`);
      await this.core.store.write((r) => r.keyValues.set(key, new Date().toISOString()));
      this.logger.info('matrix poll ended', { pollId, room: m.room });
    }
  }
}

export { POLL_START };
