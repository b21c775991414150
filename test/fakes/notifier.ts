import type { Audience, Notifier } from '../../src/ports.js';
import type { Reply } from '../../src/reply/model.js';
import { renderPlain } from '../../src/reply/plain.js';

/** Records what would have been sent. */
export class RecordingNotifier implements Notifier {
  sent: { audience: Audience; message: Reply; text: string }[] = [];
  async notify(audience: Audience, message: Reply): Promise<void> {
    this.sent.push({ audience, message, text: renderPlain(message) });
  }
}
