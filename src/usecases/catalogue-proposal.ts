// R11 and seed 000: "level requirements will only change at the AGM or an EGM", and the
// co-op decides them. A requirements file that differs from the catalogue in force is a
// proposal: a co-op poll decides it; approved, it takes effect at the next general
// meeting (the reckoning adopts it). Whatever the file does across restarts, the
// catalogue in force changes at no other time.
import type { CoreDeps } from '../context.js';
import { catalogueHash, diffCatalogues, type Catalogue } from '../domain/catalogue.js';
import { DEFAULT_OPTIONS } from '../domain/poll.js';
import type { PollRecord, Repos, StoredCatalogue } from '../ports.js';
import { cmd, list, para, publicReply, strong, type Block, type Reply } from '../reply/model.js';
import { systemEntry } from './audit.js';
import { storedCatalogue } from './bootstrap.js';
import { cancelPollInTx } from './close-poll.js';
import { openPollInTx } from './open-poll.js';
import { loadPollView } from './poll-view.js';

export type CatalogueSync =
  | { status: 'first' | 'unchanged'; catalogue: StoredCatalogue; announce: Reply[] }
  /** A new version: its poll was opened (or waits for a board to open it). */
  | { status: 'proposed' | 'waiting' | 'already-proposed' | 'already-pending' | 'rejected'; catalogue: StoredCatalogue; announce: Reply[] }
  /** The file is back to the version in force: the open proposal was withdrawn. */
  | { status: 'withdrawn'; catalogue: StoredCatalogue; announce: Reply[] };

type Deps = Pick<CoreDeps, 'settings'>;

/** Words what a new version changes, level by level. */
export function changeSummary(from: Catalogue, to: Catalogue): Block[] {
  const changes = diffCatalogues(from, to);
  const items = changes.flatMap((c) => [
    ...c.added.map((r) => `${c.level}: added ${r.title} (${r.key}): ${r.meaning}`),
    ...c.reworded.map((r) => `${c.level}: reworded ${r.title} (${r.key}): ${r.meaning}`),
    ...c.removed.map((r) => `${c.level}: removed ${r.title} (${r.key})`),
  ]);
  return items.length > 0 ? [list(items)] : [para('The requirements stay the same; only the catalogue’s other wording changes.')];
}

async function withdraw(r: Repos, proposal: StoredCatalogue, now: Date, because: string): Promise<PollRecord | null> {
  await r.catalogues.setStatus(proposal.id, 'withdrawn');
  await r.audit.record(systemEntry(now, 'start', 'catalogue.withdrawn', { type: 'catalogue', id: proposal.id }, { name: proposal.name, version: proposal.version, because }));
  if (proposal.pollId === null) return null;
  const audit = (action: string, subject: { type: string; id: string | number }, detail: Record<string, unknown>) => systemEntry(now, 'start', action, subject, detail);
  return (await cancelPollInTx(r, proposal.pollId, now, audit, because)) ? r.polls.byId(proposal.pollId) : null;
}

/** Opens the co-op poll on a proposed version; null when there is no board yet to open it in its name. */
async function openProposalPoll(deps: Deps, r: Repos, proposal: StoredCatalogue, inForce: Catalogue, now: Date): Promise<Reply | null> {
  const board = await r.members.list({ board: true });
  const opener = board[0];
  if (!opener) return null;
  const next = storedCatalogue(proposal);
  const poll = await openPollInTx(r, {
    kind: 'requirements',
    question: `Adopt the requirements "${next.name}", version ${next.version}?`,
    options: [...DEFAULT_OPTIONS],
    createdBy: opener.id,
    now,
    durationMs: deps.settings.poll.durationMs,
    secret: deps.settings.poll.secret,
    quorum: deps.settings.poll.quorum,
    originPlatform: 'system',
    originRoom: null,
  });
  await r.catalogues.setPoll(proposal.id, poll.id);
  await r.audit.record(systemEntry(now, 'start', 'poll.opened', { type: 'poll', id: poll.id }, { kind: 'requirements', question: poll.question, catalogue: proposal.id }));
  const view = await loadPollView(r, poll.id);
  return publicReply(
    para('The requirements file differs from the requirements in force (', strong(`${inForce.name}, version ${inForce.version}`), '). Level requirements are the co-op’s decision: ', strong(poll.question)),
    ...changeSummary(inForce, next),
    para('Approved, they take effect at the next general meeting, and services then have until the following AGM to meet them. Rejected, the requirements in force stay. Vote with ', cmd('coop', `vote ${poll.id} yes|no|abstain`), '.'),
    ...(view ? [{ type: 'poll' as const, poll: view }] : []),
  );
}

/**
 * Compares the requirements file with what is recorded (R3, R11): the first catalogue
 * becomes current; a new version is proposed to the co-op; the file put back to the
 * version in force withdraws an open proposal. Returns what to announce after commit.
 */
export async function syncCatalogue(deps: Deps & Pick<CoreDeps, 'store'>, opts: { now: Date; catalogue: Catalogue }): Promise<CatalogueSync> {
  const { now, catalogue } = opts;
  const hash = catalogueHash(catalogue);
  const content = JSON.stringify(catalogue);
  return deps.store.write(async (r): Promise<CatalogueSync> => {
    const current = await r.catalogues.withStatus('current');
    const input = { name: catalogue.name, version: catalogue.version, hash, content, at: now };
    if (!current) {
      const stored = await r.catalogues.record({ ...input, status: 'current' });
      await r.audit.record(systemEntry(now, 'start', 'catalogue.adopted', { type: 'catalogue', id: stored.id }, { name: catalogue.name, version: catalogue.version }));
      return { status: 'first', catalogue: stored, announce: [] };
    }
    const open = await r.catalogues.withStatus('proposed');
    if (current.hash === hash) {
      if (!open) return { status: 'unchanged', catalogue: current, announce: [] };
      const poll = await withdraw(r, open, now, 'the requirements file is back to the version in force');
      return {
        status: 'withdrawn',
        catalogue: open,
        announce: [
          publicReply(
            para(`The requirements file is back to the version in force, so the proposal "${open.name}", version ${open.version}, is withdrawn${poll ? `: poll #${poll.id} is cancelled` : ''}.`),
          ),
        ],
      };
    }
    const known = await r.catalogues.byHash(hash);
    if (known && known.status === 'proposed') {
      // Its poll could not be opened before (no board yet): try again.
      if (known.pollId === null) {
        const message = await openProposalPoll(deps, r, known, storedCatalogue(current), now);
        return { status: message ? 'proposed' : 'waiting', catalogue: known, announce: message ? [message] : [] };
      }
      return { status: 'already-proposed', catalogue: known, announce: [] };
    }
    if (known && known.status === 'pending') return { status: 'already-pending', catalogue: known, announce: [] };
    if (known && known.status === 'rejected') return { status: 'rejected', catalogue: known, announce: [] };
    // A new version (or one withdrawn before): it replaces any other open proposal.
    const announce: Reply[] = [];
    if (open) {
      const poll = await withdraw(r, open, now, 'a newer requirements file replaced it');
      announce.push(publicReply(para(`The proposal "${open.name}", version ${open.version}, is withdrawn: a newer requirements file replaced it${poll ? `; poll #${poll.id} is cancelled` : ''}.`)));
    }
    const stored = await r.catalogues.record({ ...input, status: 'proposed' });
    await r.audit.record(systemEntry(now, 'start', 'catalogue.proposed', { type: 'catalogue', id: stored.id }, { name: catalogue.name, version: catalogue.version }));
    const message = await openProposalPoll(deps, r, stored, storedCatalogue(current), now);
    if (message) announce.push(message);
    return { status: message ? 'proposed' : 'waiting', catalogue: { ...stored, pollId: null }, announce };
  });
}

/** Inside the transaction that ends a requirements poll: the proposal is approved (pending), rejected or withdrawn. */
export async function decideProposal(r: Repos, pollId: number, outcome: 'passed' | 'rejected' | 'cancelled', audit: (action: string, subject: { type: string; id: string | number }, detail: Record<string, unknown>) => ReturnType<typeof systemEntry>): Promise<string | null> {
  const proposal = await r.catalogues.byPoll(pollId);
  if (!proposal || proposal.status !== 'proposed') return null;
  if (outcome === 'passed') {
    const pending = await r.catalogues.withStatus('pending');
    if (pending) await r.catalogues.setStatus(pending.id, 'superseded');
    await r.catalogues.setStatus(proposal.id, 'pending');
    await r.audit.record(audit('catalogue.approved', { type: 'catalogue', id: proposal.id }, { name: proposal.name, version: proposal.version, pollId }));
    return `The co-op approved the requirements "${proposal.name}", version ${proposal.version}: they take effect at the next general meeting.`;
  }
  await r.catalogues.setStatus(proposal.id, outcome === 'cancelled' ? 'withdrawn' : 'rejected');
  await r.audit.record(audit(outcome === 'cancelled' ? 'catalogue.withdrawn' : 'catalogue.rejected', { type: 'catalogue', id: proposal.id }, { name: proposal.name, version: proposal.version, pollId }));
  return outcome === 'cancelled'
    ? `The proposal "${proposal.name}", version ${proposal.version}, is withdrawn; the requirements in force stay.`
    : `The co-op did not adopt the requirements "${proposal.name}", version ${proposal.version}; the requirements in force stay.`;
}
