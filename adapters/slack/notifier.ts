// Notifications from the core, on Slack: the governance channel, a room, or a direct
// message. Poll messages are recorded so that votes and closes update them in place.
import type { WebClient } from '@slack/web-api';
import type { App as Core } from '../../src/app.js';
import type { Logger } from '../../src/logger.js';
import type { Audience, Notifier } from '../../src/ports.js';
import type { Reply } from '../../src/reply/model.js';
import { pollBlocks, pollOf, renderSlack, type SlackMessage } from './render.js';
import { esc } from './text.js';
import { callSlack, isRateLimited } from './web.js';

export interface SlackNotifierOptions {
  core: Core;
  client: WebClient;
  logger: Logger;
  governanceChannel?: string;
  timezone: string;
  /** At most one update of a poll's message this often while votes arrive (Slack allows about one post a second a channel). */
  updateIntervalMs?: number;
}

interface PollUpdates {
  /** A change not yet shown. */
  dirty: boolean;
  /** When the last update was sent. */
  lastAt: number;
  timer?: ReturnType<typeof setTimeout>;
  running?: Promise<void>;
}

export class SlackNotifier implements Notifier {
  readonly platform = 'slack';
  readonly #polls = new Map<number, PollUpdates>();
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
    return user ? this.directChannel(user) : null;
  }

  /** The bot's direct-message channel with a Slack user. */
  async directChannel(user: string): Promise<string | null> {
    const opened = await callSlack('conversations.open', () => this.o.client.conversations.open({ users: user }), this.o.logger, { health: this.o.core.health, metrics: this.o.core.deps.metrics });
    return opened.channel?.id ?? null;
  }

  /** Posts one rendered message. */
  async postMessage(channel: string, m: SlackMessage): Promise<{ ts?: string; channel?: string }> {
    return callSlack('chat.postMessage', () => this.o.client.chat.postMessage({ channel, text: m.text, blocks: m.blocks }), this.o.logger, {
      health: this.o.core.health,
      metrics: this.o.core.deps.metrics,
    });
  }

  /** Posts a reply in a channel (in as many messages as it takes); a poll in it is recorded for later updates. */
  async post(channel: string, reply: Reply): Promise<string | undefined> {
    const poll = pollOf(reply);
    const messages = renderSlack(reply, this.o.timezone);
    // The message that carries the poll's buttons is the one votes update (the first, for a closed poll).
    const withPoll = Math.max(0, messages.findIndex((m) => m.blocks.some((b) => b.type === 'actions')));
    let first: string | undefined;
    for (const [i, m] of messages.entries()) {
      const res = await this.postMessage(channel, m);
      first ??= res.ts;
      if (poll && res.ts && i === withPoll) {
        const ts = res.ts;
        const room = res.channel ?? channel;
        await this.o.core.store.write((r) => r.pollMessages.record({ pollId: poll.id, platform: 'slack', room, messageId: ts }));
      }
    }
    return first;
  }

  async notify(audience: Audience, message: Reply): Promise<void> {
    const channel = await this.#channelFor(audience);
    if (channel) await this.post(channel, message);
  }

  /**
   * A vote or a close changed a poll: its message is updated at most once per interval
   * while votes stream in (throttled, not debounced: a steady stream still shows), and
   * the last change is shown within one interval. Each update renders the poll as it is
   * then, so a late or rate-limited update never sends a stale state.
   */
  async pollChanged(pollId: number): Promise<void> {
    // Forget polls whose last update is long past (the map holds only recent ones).
    for (const [id, s] of this.#polls) if (!s.timer && !s.running && !s.dirty && s.lastAt < Date.now() - 60_000) this.#polls.delete(id);
    const state = this.#polls.get(pollId) ?? { dirty: false, lastAt: 0 };
    this.#polls.set(pollId, state);
    state.dirty = true;
    if (state.timer || state.running) return;
    this.#schedule(pollId, state, Math.max(0, state.lastAt + this.#interval - Date.now()));
  }

  get #interval(): number {
    return this.o.updateIntervalMs ?? 2000;
  }

  #schedule(pollId: number, state: PollUpdates, delayMs: number): void {
    state.timer = setTimeout(() => {
      state.timer = undefined;
      state.dirty = false;
      const run = this.#refresh(pollId)
        .then(() => {
          state.lastAt = Date.now();
        })
        .catch((e: unknown) => {
          state.lastAt = Date.now();
          if (isRateLimited(e)) {
            // Not delivered: wait as Slack asks, then send the state as it is by then.
            state.dirty = true;
            state.lastAt = Date.now() + Math.min(60, Math.max(1, e.retryAfter)) * 1000 - this.#interval;
            this.o.logger.warn('slack rate limit on a poll update: the latest state follows', { pollId, waitS: e.retryAfter });
          } else this.o.logger.error('slack poll update failed', { pollId, error: String(e) });
        })
        .finally(() => {
          state.running = undefined;
          this.#running.delete(run);
          if (state.dirty) this.#schedule(pollId, state, Math.max(0, state.lastAt + this.#interval - Date.now()));
        });
      state.running = run;
      this.#running.add(run);
    }, delayMs);
  }

  async #refresh(pollId: number): Promise<void> {
    const [view, messages] = await Promise.all([
      this.o.core.pollView(pollId),
      this.o.core.store.read((r) => r.pollMessages.forPoll(pollId, 'slack')),
    ]);
    if (!view) return;
    const blocks = pollBlocks(view, this.o.timezone);
    const text = esc(`Poll #${view.id}: ${view.question} (${view.turnout} of ${view.electorate} voted)`);
    for (const m of messages) {
      await callSlack('chat.update', () => this.o.client.chat.update({ channel: m.room, ts: m.messageId, text, blocks }), this.o.logger, {
        health: this.o.core.health,
        metrics: this.o.core.deps.metrics,
        retryRateLimits: false,
      });
    }
  }

  /** Sends pending poll updates now and waits for them (shutdown, tests). */
  async flush(): Promise<void> {
    for (const [pollId, state] of this.#polls) {
      if (state.timer) {
        clearTimeout(state.timer);
        state.timer = undefined;
      }
      if (state.dirty && !state.running) {
        state.dirty = false;
        const run = this.#refresh(pollId).catch((e: unknown) => this.o.logger.error('slack poll update failed', { pollId, error: String(e) }));
        this.#running.add(run);
      }
    }
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
    this.#polls.clear();
  }
}
