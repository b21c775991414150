// People by name: a Slack person recorded before the bot knew their name (from COOP_BOARD,
// or mentioned as <@U…>) shows as a raw id in reports, pages and Matrix. Their display
// name is looked up with users.info (scope users:read), kept a day, and refreshed when
// Slack says a profile changed (user_change).
import type { WebClient } from '@slack/web-api';
import type { App as Core } from '../../src/app.js';
import type { Logger } from '../../src/logger.js';
import { renamePerson } from '../../src/usecases/people.js';
import { callSlack, slackError } from './web.js';

const DAY = 86_400_000;
/** Unnamed people looked up in one pass (users.info allows about 100 calls a minute). */
const PER_PASS = 20;

export interface SlackProfile {
  id: string;
  name?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
  deleted?: boolean;
}

/** The name Slack shows for a person: display name, else full name, else handle. */
export function shownName(u: SlackProfile): string | null {
  for (const n of [u.profile?.display_name, u.profile?.real_name, u.real_name, u.name]) if (n && n.trim() !== '') return n.trim();
  return null;
}

export class SlackNames {
  readonly #checked = new Map<string, number>();
  #disabled = false;

  constructor(private readonly o: { core: Core; client: WebClient; logger: Logger }) {}

  /** After a person acted: their name, unless looked up within a day. */
  async refresh(userId: string): Promise<void> {
    if (this.#disabled || Date.now() - (this.#checked.get(userId) ?? 0) < DAY) return;
    this.#checked.set(userId, Date.now());
    try {
      const res = await callSlack('users.info', () => this.o.client.users.info({ user: userId }), this.o.logger, { metrics: this.o.core.deps.metrics });
      if (res.user) await this.changed(res.user as SlackProfile);
    } catch (e) {
      const answer = slackError(e);
      if (answer === 'missing_scope' || answer === 'not_allowed_token_type') {
        this.#disabled = true;
        this.o.logger.warn('Slack does not let the bot read names (add the users:read scope and reinstall the app); people recorded by id keep their id', { answer });
      } else if (answer === null) this.#checked.delete(userId); // no answer at all: try again next time
    }
  }

  /** Slack says a profile changed (user_change), or a lookup answered. */
  async changed(user: SlackProfile): Promise<void> {
    const name = shownName(user);
    if (!name) return;
    this.#checked.set(user.id, Date.now());
    const renamed = await renamePerson(this.o.core.deps, { platform: 'slack', externalId: user.id }, name);
    if (renamed === 'renamed') this.o.logger.info('slack name recorded', { user: user.id });
  }

  /** Looks up people still named by their id (a pass at start, and after a mention). */
  async backfill(): Promise<void> {
    if (this.#disabled) return;
    const unnamed = await this.o.core.store.read((r) => r.members.namedById('slack', PER_PASS));
    for (const u of unnamed) await this.refresh(u.externalId);
  }
}
