// Notifications from the core, on Slack: the governance channel, a room, or a direct
// message. Poll messages are recorded so that votes and closes update them in place.
import type { WebClient } from '@slack/web-api';
import type { App as Core } from '../../src/app.js';
import type { Logger } from '../../src/logger.js';
import type { Audience, Notifier } from '../../src/ports.js';
import type { Reply } from '../../src/reply/model.js';
import { pollBlocks, pollOf, renderSlack } from './render.js';
import { callSlack } from './web.js';

export interface SlackNotifierOptions {
  core: Core;
  client: WebClient;
  logger: Logger;
  governanceChannel?: string;
  timezone: string;
  /** Votes arriving close together update the message once (Slack allows about one post a second). */
  debounceMs?: number;
}

export class SlackNotifier implements Notifier {
  readonly platform = 'slack';
  readonly #pending = new Map<number, ReturnType<typeof setTimeout>>();
  readonly #running = new Set<Promise<void>>();
  #warnedNoChannel = false;

  constructor(private readonly o: SlackNotifierOptions) {}

  async #channelFor(audience: Audience): Promise<string | null> {
    if (audience.kind === 'governance') {
      if (!this.o.governanceChannel && !this.#warnedNoChannel) {
        this.#warnedNoChannel = true;
        this.o.logger.warn('SLACK_GOVERNANCE_CHANNEL is not set: announcements and polls are not posted on Slack');
      }
      return this.o.governanceChannel ?? null;
    }
    if (audience.kind === 'room') return audience.platform === 'slack' ? audience.room : null;
    const user = audience.identities.find((k) => k.startsWith('slack:'))?.slice('slack:'.length);
    if (!user) return null;
    const opened = await callSlack('conversations.open', () => this.o.client.conversations.open({ users: user }), this.o.logger, { health: this.o.core.health, metrics: this.o.core.deps.metrics });
    return opened.channel?.id ?? null;
  }

  /** Posts a reply in a channel; a poll in it is recorded for later updates. */
  async post(channel: string, reply: Reply): Promise<string | undefined> {
    const { text, blocks } = renderSlack(reply, this.o.timezone);
    const res = await callSlack('chat.postMessage', () => this.o.client.chat.postMessage({ channel, text, blocks }), this.o.logger, { health: this.o.core.health, metrics: this.o.core.deps.metrics });
    const poll = pollOf(reply);
    if (poll && res.ts) {
      const ts = res.ts;
      const room = res.channel ?? channel;
      await this.o.core.store.write((r) => r.pollMessages.record({ pollId: poll.id, platform: 'slack', room, messageId: ts }));
    }
    return res.ts;
  }

  async notify(audience: Audience, message: Reply): Promise<void> {
    const channel = await this.#channelFor(audience);
    if (channel) await this.post(channel, message);
  }

  async pollChanged(pollId: number): Promise<void> {
    const existing = this.#pending.get(pollId);
    if (existing) clearTimeout(existing);
    this.#pending.set(
      pollId,
      setTimeout(() => {
        this.#pending.delete(pollId);
        const run = this.#refresh(pollId).catch((e: unknown) => this.o.logger.error('slack poll update failed', { pollId, error: String(e) }));
        this.#running.add(run);
        void run.finally(() => this.#running.delete(run));
      }, this.o.debounceMs ?? 1000),
    );
  }

  async #refresh(pollId: number): Promise<void> {
    const [view, messages] = await Promise.all([
      this.o.core.pollView(pollId),
      this.o.core.store.read((r) => r.pollMessages.forPoll(pollId, 'slack')),
    ]);
    if (!view) return;
    const blocks = pollBlocks(view, this.o.timezone);
    const text = `Poll #${view.id}: ${view.question} (${view.turnout} of ${view.electorate} voted)`;
    for (const m of messages) {
      await callSlack('chat.update', () => this.o.client.chat.update({ channel: m.room, ts: m.messageId, text, blocks }), this.o.logger, { health: this.o.core.health, metrics: this.o.core.deps.metrics });
    }
  }

  /** Waits for pending poll updates (shutdown, tests). */
  async flush(): Promise<void> {
    for (const [pollId, timer] of this.#pending) {
      clearTimeout(timer);
      this.#pending.delete(pollId);
      this.#running.add(this.#refresh(pollId));
    }
    await Promise.allSettled([...this.#running]);
  }
}
