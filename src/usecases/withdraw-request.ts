import type { CommandContext } from '../context.js';
import { UserError, unknownService } from '../domain/errors.js';
import type { RequestRecord } from '../ports.js';
import { para, publicReply, strong } from '../reply/model.js';
import { auditEntry } from './audit.js';
import { cancelPollInTx } from './close-poll.js';
import { notifyAfterCommit, pollChanged } from './notify.js';

/** Withdraws a service's open verification request and cancels its poll (R5: the level stays). */
export async function withdrawRequest(ctx: CommandContext, name: string): Promise<RequestRecord> {
  const { deps, now } = ctx;
  const audit = (action: string, subject: { type: string; id: string | number }, detail: Record<string, unknown>) => auditEntry(ctx, action, subject, detail);
  const request = await deps.store.write(async (r) => {
    const service = await r.services.byName(name);
    if (!service) throw unknownService(name);
    const open = await r.requests.openFor(service.id);
    if (!open) throw new UserError(`\`${name}\` has no open verification request.`);
    await r.requests.setStatus(open.id, 'withdrawn', now);
    if (open.pollId !== null) await cancelPollInTx(r, open.pollId, now, audit, 'verification request withdrawn');
    await r.audit.record(audit('verification.withdrawn', { type: 'service', id: name }, { target: open.targetLevel, pollId: open.pollId }));
    return open;
  });
  if (request.pollId !== null) await pollChanged(deps, request.pollId);
  await notifyAfterCommit(
    deps,
    { kind: 'governance' },
    publicReply(para(strong(name), `'s request to be verified at ${request.targetLevel} was withdrawn; poll #${request.pollId} is cancelled. It stays ${request.fromLevel}.`)),
  );
  return request;
}
