// R7: anyone may watch a service and is told of its changes, by direct message. Each
// person once per event (whatever identities they have linked: see FanOutNotifier), and
// not again when they are already told as a maintainer.
import type { CoreDeps } from '../context.js';
import type { Reply } from '../reply/model.js';
import { notifyAfterCommit, type ClaimedSend } from './notify.js';
import type { Repos } from '../ports.js';

type Deps = Pick<CoreDeps, 'store' | 'notifier' | 'logger'>;

/** Tells the watchers of a service (or of several), after commit. `except`: members told already. */
export async function notifyWatchers(deps: Deps, opts: { serviceId: number | number[]; except?: (number | undefined)[] }, message: Reply): Promise<void> {
  const ids = Array.isArray(opts.serviceId) ? opts.serviceId : [opts.serviceId];
  const skip = new Set(opts.except ?? []);
  const watchers = await deps.store.read((r) => r.watches.watchersOf(ids));
  for (const w of watchers) {
    if (skip.has(w.id)) continue;
    await notifyAfterCommit(deps, { kind: 'person', memberId: w.id, identities: w.identities }, message);
  }
}

/** Inside a transaction that claimed `key`: the watcher messages to send with it (timed work). */
export async function watcherSends(r: Repos, key: string, serviceId: number, except: Iterable<number>, message: Reply): Promise<ClaimedSend[]> {
  const skip = new Set(except);
  return (await r.watches.watchersOf([serviceId]))
    .filter((w) => !skip.has(w.id))
    .map((w) => ({ key, audience: { kind: 'person' as const, memberId: w.id, identities: w.identities }, message }));
}
