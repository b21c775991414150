// A core wired to fakes: the command table over the in-memory store.
import { buildCommandTable } from '../../src/commands/index.js';
import type { CoreDeps } from '../../src/context.js';
import { loadConfig } from '../../src/config.js';
import { loadCatalogueFile } from '../../src/catalogue-file.js';
import type { IdentityRef } from '../../src/domain/identity.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { renderPlain } from '../../src/reply/plain.js';
import type { Reply } from '../../src/reply/model.js';
import { seatInitialBoard, storedCatalogue } from '../../src/usecases/bootstrap.js';
import { syncCatalogue } from '../../src/usecases/catalogue-proposal.js';
import { consolePlatform } from '../../adapters/console/console.js';
import { FakeClock } from './clock.js';
import { MemoryStore } from './memory-store.js';
import { RecordingNotifier } from './notifier.js';

export async function fakeCore(board: IdentityRef[] = [{ platform: 'console', externalId: 'admin' }]) {
  const store = new MemoryStore();
  const clock = new FakeClock();
  const notifier = new RecordingNotifier();
  const config = loadConfig({});
  await seatInitialBoard({ store, now: clock.now(), board });
  await syncCatalogue({ store, settings: config }, { now: clock.now(), catalogue: loadCatalogueFile('catalogues/coop-default.json') });
  const deps: CoreDeps = {
    store,
    clock,
    notifier,
    logger: silentLogger,
    metrics: createMetrics({ version: 'test', defaults: false }),
    settings: config,
    catalogue: async () => storedCatalogue((await store.read((r) => r.catalogues.withStatus('current')))!),
  };
  const table = buildCommandTable();
  /** Runs `line` (e.g. "/service propose wiki user A wiki") as console user `who`. */
  const run = async (who: string, line: string): Promise<Reply & { text: string }> => {
    const m = /^\/(service|coop)\s*(.*)$/s.exec(line);
    if (!m) throw new Error(`bad test line ${line}`);
    const reply = await table.handle(
      { group: m[1] as 'service' | 'coop', text: m[2] ?? '', actor: { platform: 'console', externalId: who }, platform: consolePlatform },
      deps,
    );
    return { ...reply, text: renderPlain(reply, { platform: 'console' }) };
  };
  return { store, clock, notifier, deps, table, run };
}
