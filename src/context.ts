// What an executor is given: who is asking, from where, and the narrow ports.
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Catalogue } from './domain/catalogue.js';
import type { IdentityRef, Platform } from './domain/identity.js';
import type { MemberRecord, Notifier, Store } from './ports.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Reply } from './reply/model.js';

export type { Group } from './reply/model.js';
import type { Group } from './reply/model.js';

export interface PlatformInfo {
  name: Platform;
  /** How a person starts a command of `group` on this platform: `/service`, `!service`. */
  commandPrefix(group: Group): string;
}

export interface Actor {
  identity: IdentityRef;
  /** The person's record, or null for someone the bot has never recorded. */
  member: MemberRecord | null;
  /** A name the platform gave for them, used when they are first recorded. */
  displayName?: string;
}

import type { CopyIdentity } from './copies.js';

export interface CoreDeps {
  store: Store;
  clock: Clock;
  notifier: Notifier;
  logger: Logger;
  metrics: Metrics;
  settings: Pick<Config, 'timezone' | 'poll' | 'nudgeDays'> & Partial<Pick<Config, 'limits' | 'publicUrl'>>;
  /** The fingerprint of the requirements file read at start (it may differ from the catalogue in force). */
  requirementsFileHash?: string;
  /** The catalogue in force (the stored current version). */
  catalogue(): Promise<Catalogue>;
  /** This copy of the bot (several may share a PostgreSQL database). */
  copy?: CopyIdentity;
}

export interface CommandContext {
  actor: Actor;
  platform: PlatformInfo;
  /** The room or channel the command came from, if any. */
  room?: string;
  now: Date;
  deps: CoreDeps;
  /** Help generated from the command table, for this group. */
  help(words: readonly string[]): Reply;
}
