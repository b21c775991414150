// R5: a maintainer asks the co-op to verify the next level. The bot first checks
// what it can itself; then it opens a verification poll in the governance room.
import type { CommandContext } from '../context.js';
import { requirementStatus, verificationBlockers } from '../domain/assessment.js';
import { UserError, unknownService } from '../domain/errors.js';
import { DEFAULT_OPTIONS } from '../domain/poll.js';
import type { VerifiedLevel } from '../domain/service.js';
import type { PollRecord, RequestRecord } from '../ports.js';
import { cmd, mono, para, publicReply, strong, type Span } from '../reply/model.js';
import { auditEntry } from './audit.js';
import { notifyAfterCommit } from './notify.js';
import { openPollInTx } from './open-poll.js';
import { loadPollView } from './poll-view.js';
import { assertNotRetired } from './edit-service.js';

export async function requestVerification(ctx: CommandContext, opts: { name: string; target: VerifiedLevel; evidence: string }): Promise<{ request: RequestRecord; poll: PollRecord }> {
  const { deps, actor, now } = ctx;
  const member = actor.member;
  if (!member) throw new Error('requestVerification needs a member');
  const catalogue = await deps.catalogue();
  const created = await deps.store.write(async (r) => {
    const service = await r.services.byName(opts.name);
    if (!service) throw unknownService(opts.name);
    assertNotRetired(service);
    const [assessments, openRequest, deficiencies] = await Promise.all([
      r.assessments.forService(service.id),
      r.requests.openFor(service.id),
      r.deficiencies.openFor(service.id),
    ]);
    const problems = verificationBlockers({
      level: service.level,
      target: opts.target,
      maintainerCount: service.maintainers.length,
      hasOpenRequest: openRequest !== null,
      openDeficiencies: deficiencies.length,
      catalogue,
      assessments,
    });
    if (problems.length > 0) {
      const hints: Span[][] = [];
      if (opts.target === 'beta' && service.maintainers.length < 2) hints.push(['Add a co-maintainer with ', cmd('service', `maintainer ${service.name} add <user>`), '.']);
      if (problems.some((p) => / is (not assessed yet|assessed unmet)\.$/.test(p))) {
        hints.push(['Record each with ', cmd('service', `assess ${service.name} <requirement-key> met|unmet|deviation [note…]`), '.']);
      }
      if (deficiencies.length > 0) hints.push(['Its open deficiencies are listed by ', cmd('service', `level ${service.name}`), '.']);
      throw new UserError([mono(service.name), ` cannot ask to be verified at ${opts.target} yet:`], { items: [...problems, ...hints] });
    }
    const poll = await openPollInTx(r, {
      kind: 'verification',
      question: `Verify ${service.name} at ${opts.target}?`,
      options: [...DEFAULT_OPTIONS],
      createdBy: member.id,
      now,
      durationMs: deps.settings.poll.durationMs,
      secret: deps.settings.poll.secret,
      quorum: deps.settings.poll.quorum,
      originPlatform: actor.identity.platform,
      originRoom: ctx.room ?? null,
    });
    const request = await r.requests.create({
      serviceId: service.id,
      fromLevel: service.level,
      targetLevel: opts.target,
      evidence: opts.evidence,
      requestedBy: member.id,
      requestedAt: now,
      pollId: poll.id,
      requirements: requirementStatus(catalogue, opts.target, assessments),
    });
    await r.audit.record(auditEntry(ctx, 'verification.requested', { type: 'service', id: service.name }, { target: opts.target, pollId: poll.id, evidence: opts.evidence }));
    await r.audit.record(auditEntry(ctx, 'poll.opened', { type: 'poll', id: poll.id }, { kind: 'verification', question: poll.question, electorate: poll.electorate }));
    return { request, poll, view: await loadPollView(r, poll.id) };
  });
  if (created.view) {
    await notifyAfterCommit(
      deps,
      { kind: 'governance' },
      publicReply(
        para(strong(opts.name), ` asks the co-op to verify it at ${opts.target}.`, opts.evidence ? ` Evidence: ${opts.evidence}` : ''),
        para('Members, please vote: ', cmd('coop', `vote ${created.poll.id} yes|no|abstain`), '.'),
        { type: 'poll', poll: created.view },
      ),
    );
  }
  return created;
}
