// The composition root of the core: settings → database → store → command table.
// Adapters are handed in by the entry point (main.ts); the core never imports them.
import { systemClock, type Clock } from './clock.js';
import { Health } from './health.js';
import { buildCommandTable } from './commands/index.js';
import type { CoreDeps } from './context.js';
import type { CommandInput, CommandTable } from './commands/table.js';
import type { Config } from './config.js';
import { loadCatalogueFile } from './catalogue-file.js';
import { catalogueHash, type Catalogue } from './domain/catalogue.js';
import type { Logger } from './logger.js';
import type { Audience, Notifier, Store } from './ports.js';
import type { PollView, Reply } from './reply/model.js';
import { loadPollView } from './usecases/poll-view.js';
import { openDatabase, type OpenedDatabase } from './store/database.js';
import { prismaStore } from './store/prisma-store.js';
import { seatInitialBoard, storedCatalogue } from './usecases/bootstrap.js';
import { syncCatalogue } from './usecases/catalogue-proposal.js';
import { notifyAfterCommit } from './usecases/notify.js';
import { abandonUnconfirmed, beat, startScheduler, sweep } from './scheduler/index.js';
import { thisCopy, type Leases } from './copies.js';
import { createMetrics } from './metrics.js';
import { VERSION } from './version.js';
import { agmReportSections } from './usecases/agm-report.js';
import type { DocumentSource } from './reply/model.js';

/** Sends to every adapter that can reach the audience. */
export class FanOutNotifier implements Notifier {
  readonly #targets: Notifier[] = [];
  add(n: Notifier): void {
    this.#targets.push(n);
  }
  async notify(audience: Audience, message: Reply): Promise<void> {
    await Promise.all(this.targetsFor(audience).map((t) => t.notify(audience, message)));
  }
  /**
   * A person hears of an event once, on one platform: the first of their identities
   * (oldest link first) that an attached adapter reaches. Rooms go to every adapter.
   */
  targetsFor(audience: Audience): Notifier[] {
    if (audience.kind !== 'person') return this.#targets;
    const platforms = new Set(this.#targets.map((t) => t.platform).filter((p): p is string => p !== undefined));
    const chosen = audience.identities.map((k) => k.slice(0, k.indexOf(':'))).find((p) => platforms.has(p));
    return this.#targets.filter((t) => t.platform === undefined || t.platform === chosen);
  }
  async pollChanged(pollId: number): Promise<void> {
    await Promise.all(this.#targets.map((t) => t.pollChanged?.(pollId)));
  }
}

export interface App {
  handle(input: CommandInput): Promise<Reply>;
  /** A poll as adapters show it (null if there is no such poll). */
  pollView(pollId: number): Promise<PollView | null>;
  /** A whole document, section by section (see the `document` block). */
  documentSections(source: DocumentSource): AsyncGenerator<string>;
  table: CommandTable;
  deps: CoreDeps;
  store: Store;
  notifier: FanOutNotifier;
  /** What only one copy of the bot may hold at a time (the Matrix sync). */
  leases: Leases;
  /** What /healthz reports. */
  health: Health;
  /**
   * Call once the adapters are attached: sends what start-up has to announce, does the
   * timed work that fell due while the bot was down, and starts the minute tick.
   */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** A catalogue to use instead of reading REQUIREMENTS_FILE (tests). */
  catalogue?: Catalogue;
  /** Start the minute tick (default true; tests drive `sweep` themselves). */
  tick?: boolean;
}

export async function createApp(opts: AppOptions): Promise<App> {
  const { config, logger } = opts;
  const clock = opts.clock ?? systemClock;
  // Read and validate the catalogue before touching the database: a broken file stops the start.
  const fileCatalogue = opts.catalogue ?? loadCatalogueFile(config.requirementsFile);
  const opened: OpenedDatabase = await openDatabase(config.databaseUrl, (m) => logger.warn(m));
  if (opened.appliedMigrations.length > 0) logger.info('database migrated', { file: opened.file, applied: opened.appliedMigrations });
  const metrics = createMetrics({ version: VERSION });
  const copy = thisCopy(clock.now());
  const store = prismaStore(opened.db, { sql: opened.sql, transaction: (fn) => opened.transaction(fn), copy: copy.name, committed: (entries) => metrics.committed(entries) });
  metrics.watch(store);
  const notifier = new FanOutNotifier();

  const seated = await seatInitialBoard({ store, now: clock.now(), board: config.board });
  if (seated.length > 0) logger.info('first board seated from COOP_BOARD', { board: seated });
  const settings = { timezone: config.timezone, poll: config.poll, nudgeDays: config.nudgeDays, limits: config.limits, publicUrl: config.publicUrl };
  const sync = await syncCatalogue({ store, settings }, { now: clock.now(), catalogue: fileCatalogue });
  if (sync.status !== 'first' && sync.status !== 'unchanged') {
    logger.info('requirements file differs from the catalogue in force', { name: fileCatalogue.name, version: fileCatalogue.version, proposal: sync.status });
  }
  if (sync.status === 'waiting') logger.warn('a new requirements file waits for a board member before its co-op poll can open (set COOP_BOARD)');

  let cached: { id: number; catalogue: Catalogue } | undefined;
  const deps: CoreDeps = {
    store,
    clock,
    notifier,
    logger,
    metrics,
    settings,
    requirementsFileHash: catalogueHash(fileCatalogue),
    copy,
    async catalogue() {
      // Its id on every call (another copy may have adopted a new one); its content only when that changed.
      const id = await store.read((r) => r.catalogues.idWithStatus('current'));
      if (cached && cached.id === id) return cached.catalogue;
      const current = await store.read((r) => r.catalogues.withStatus('current'));
      if (!current) throw new Error('no current requirement catalogue');
      cached = { id: current.id, catalogue: storedCatalogue(current) };
      return cached.catalogue;
    },
  };
  const table = buildCommandTable();
  let ticker: { stop(): Promise<void> } | undefined;

  const app: App = {
    health: new Health(logger),
    table,
    deps,
    store,
    notifier,
    leases: opened.leases,
    handle: (input) => table.handle(input, deps),
    pollView: (pollId) => store.read((r) => loadPollView(r, pollId)),
    documentSections: (source) => agmReportSections((fn) => store.read(fn), new Date(source.asOf), deps.settings.timezone),
    async start() {
      for (const message of sync.announce) await notifyAfterCommit(deps, { kind: 'governance' }, message);
      await beat(deps);
      await abandonUnconfirmed(deps);
      await sweep(deps);
      if (opts.tick !== false) ticker = startScheduler(deps);
    },
    async close() {
      await ticker?.stop();
      // A copy that stops cleanly is not alive any more: its claims are not in flight.
      await store.write((r) => r.copies.leave(copy.name)).catch(() => undefined);
      await opened.close();
    },
  };
  return app;
}
