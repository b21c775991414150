// People by name on Matrix: a person shows by their display name (from the rooms' member
// state, or their profile), not their user id, in reports, web pages and Slack. Names are
// recorded when they change; a profile is asked for at most once a day a person.
import type { App as Core } from '../../src/app.js';
import type { Logger } from '../../src/logger.js';
import { renamePerson } from '../../src/usecases/people.js';
import type { MatrixApi, MatrixEvent } from './api.js';

const DAY = 86_400_000;
/** A Matrix user id as people write it in a command. */
const MXID = /@[a-z0-9._=\-/+]+:[a-z0-9.\-]+(?::\d+)?/gi;

export class MatrixNames {
  /** Names seen (member events, profiles), whether or not the bot has a record of the person. */
  readonly #known = new Map<string, string>();
  /** Names recorded in the database. */
  readonly #applied = new Map<string, string>();
  readonly #asked = new Map<string, number>();

  constructor(private readonly o: { core: Core; api: MatrixApi; logger: Logger; botUserId: () => string }) {}

  /** A member event (room state or timeline): the display name it carries. */
  async memberEvent(ev: MatrixEvent): Promise<void> {
    if (ev.type !== 'm.room.member') return;
    const user = ev.state_key ?? ev.sender;
    const name = ev.content.displayname;
    if (ev.content.membership !== 'join' || typeof name !== 'string') return;
    await this.seen(user, name);
  }

  /** After a command: the sender's name, and the names of the people it mentions. */
  async afterCommand(sender: string, body: string): Promise<void> {
    const people = new Set([sender, ...(body.match(MXID) ?? []).slice(0, 10)]);
    for (const user of people) {
      const known = this.#known.get(user);
      if (known !== undefined) await this.seen(user, known); // a person just recorded takes the name already seen
      else await this.refresh(user);
    }
  }

  async refresh(user: string): Promise<void> {
    if (user === this.o.botUserId() || Date.now() - (this.#asked.get(user) ?? 0) < DAY) return;
    this.#asked.set(user, Date.now());
    try {
      const name = await this.o.api.displayName(user);
      if (name) await this.seen(user, name);
    } catch {
      // No profile, or not visible to the bot: the person keeps the name they have.
    }
  }

  async seen(user: string, name: string): Promise<void> {
    this.#known.set(user, name);
    if (this.#applied.get(user) === name) return;
    const result = await renamePerson(this.o.core.deps, { platform: 'matrix', externalId: user }, name);
    if (result !== 'unknown') this.#applied.set(user, name);
    if (result === 'renamed') this.o.logger.info('matrix name recorded', { user });
  }
}
