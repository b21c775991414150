// Notifications for a platform that only one copy may send on (see leadership.ts).
// A copy that does not hold it leaves them in the outbox, in the database; the copy
// that holds it takes them (each once: taking is a write) and sends them. A switching
// notifier sends directly while this copy holds the platform, and by the outbox while
// it does not.
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { Audience, Notifier, Store } from './ports.js';
import type { Reply } from './reply/model.js';

type Message = { op: 'notify'; audience: Audience; message: Reply } | { op: 'pollChanged'; pollId: number };

const reviveDates = (key: string, value: unknown) => (key === 'closesAt' && typeof value === 'string' ? new Date(value) : value);

/** Leaves what it is given in the outbox, for the copy that holds `platform`. */
export class OutboxNotifier implements Notifier {
  constructor(
    readonly platform: string,
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  #reaches(audience: Audience): boolean {
    if (audience.kind === 'person') return audience.identities.some((k) => k.startsWith(`${this.platform}:`));
    if (audience.kind === 'room') return audience.platform === this.platform;
    return true;
  }

  async #add(m: Message): Promise<void> {
    await this.store.write((r) => r.outbox.add(this.platform, JSON.stringify(m), this.clock.now()));
  }

  async notify(audience: Audience, message: Reply): Promise<void> {
    if (this.#reaches(audience)) await this.#add({ op: 'notify', audience, message });
  }

  async pollChanged(pollId: number): Promise<void> {
    await this.#add({ op: 'pollChanged', pollId });
  }
}

/** Sends directly while `direct` is set (this copy holds the platform), else by the outbox. */
export class SwitchingNotifier implements Notifier {
  direct: Notifier | null = null;
  constructor(private readonly outbox: OutboxNotifier) {}

  get platform(): string {
    return this.outbox.platform;
  }

  notify(audience: Audience, message: Reply): Promise<void> {
    return (this.direct ?? this.outbox).notify(audience, message);
  }

  async pollChanged(pollId: number): Promise<void> {
    await (this.direct ?? this.outbox).pollChanged?.(pollId);
  }
}

/** Takes what other copies left for `platform` and sends it; returns how many it took. */
export async function drainOutbox(o: { store: Store; clock: Clock; logger: Logger; platform: string; target: Notifier }): Promise<number> {
  let total = 0;
  for (;;) {
    const taken = await o.store.write((r) => r.outbox.take(o.platform, 20, o.clock.now()));
    for (const row of taken) {
      try {
        const m = JSON.parse(row.payload, reviveDates) as Message;
        if (m.op === 'notify') await o.target.notify(m.audience, m.message);
        else await o.target.pollChanged?.(m.pollId);
      } catch (e) {
        o.logger.error('a message left by another copy could not be sent', { platform: o.platform, id: row.id, error: e instanceof Error ? e.message : String(e) });
      }
    }
    total += taken.length;
    if (taken.length < 20) return total;
  }
}
