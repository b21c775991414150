import { z } from 'zod';
import type { Catalogue } from '../../domain/catalogue.js';
import { VERIFIED_LEVELS, type VerifiedLevel } from '../../domain/service.js';
import { formatDateTime } from '../../reply/format.js';
import { cmd, heading, list, mono, para, privateReply, type Block } from '../../reply/model.js';
import { changeSummary } from '../../usecases/catalogue-proposal.js';
import { storedCatalogue } from '../../usecases/bootstrap.js';
import { verifiedLevel } from '../args.js';
import { defineCommand } from '../define.js';

function describe(cat: Catalogue, levels: readonly VerifiedLevel[]): Block[] {
  return levels.flatMap((level) => [
    heading(`${level[0]?.toUpperCase()}${level.slice(1)}`),
    list(
      cat.levels[level].map((r) => [mono(r.key), ` ${r.title}: ${r.meaning}`, r.provided ? ` The co-op provides: ${r.provided}` : '']),
    ),
  ]);
}

export const requirements = defineCommand({
  group: 'coop',
  words: ['requirements'],
  params: [{ name: 'level', optional: true }],
  args: z.object({ level: verifiedLevel.optional() }),
  access: 'anyone',
  summary: 'The requirements of each level in force, and any new version waiting for the next general meeting.',
  example: '/coop requirements beta',
  async run(ctx, { level }) {
    const tz = ctx.deps.settings.timezone;
    const levels = level ? [level] : VERIFIED_LEVELS;
    const fileHash = ctx.deps.requirementsFileHash;
    const [current, pending, proposed, fromFile] = await ctx.deps.store.read((r) =>
      Promise.all([r.catalogues.withStatus('current'), r.catalogues.withStatus('pending'), r.catalogues.withStatus('proposed'), fileHash ? r.catalogues.byHash(fileHash) : null]),
    );
    const cat = await ctx.deps.catalogue();
    const blocks: Block[] = [
      para(`Requirements in force: ${cat.name}, version ${cat.version}${current?.effectiveAt ? `, since ${formatDateTime(current.effectiveAt, tz)}` : ''}.`),
      ...(cat.description ? [para(cat.description)] : []),
      ...describe(cat, levels),
    ];
    if (pending) {
      const next = storedCatalogue(pending);
      blocks.push(
        heading(`Pending: ${next.name}, version ${next.version}`),
        para('Approved by the co-op; these take effect at the next general meeting, and services then have until the following AGM to meet them. Maintainers can assess them already.'),
        ...describe(next, levels),
      );
    }
    if (proposed) {
      blocks.push(
        heading(`Proposed: ${proposed.name}, version ${proposed.version}`),
        para(
          'The requirements file differs from the requirements in force; ',
          ...(proposed.pollId !== null ? [`the co-op decides it in poll #${proposed.pollId} (`, cmd('coop', `vote ${proposed.pollId} yes|no|abstain`), ').'] : ['its co-op poll opens when the board has a member.']),
        ),
        ...changeSummary(cat, storedCatalogue(proposed)),
      );
    }
    if (fromFile?.status === 'rejected') {
      blocks.push(para(`The requirements file differs from the requirements in force: it holds "${fromFile.name}", version ${fromFile.version}, which the co-op did not adopt. The requirements in force stay.`));
    }
    return privateReply(...blocks);
  },
});
