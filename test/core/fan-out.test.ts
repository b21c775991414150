// A person hears of an event once, on one platform, whatever identities they linked.
import { describe, expect, it } from 'vitest';
import { FanOutNotifier } from '../../src/app.js';
import type { Audience, Notifier } from '../../src/ports.js';
import { para, publicReply, type Reply } from '../../src/reply/model.js';

class Recorder implements Notifier {
  got: Audience[] = [];
  constructor(readonly platform?: string) {}
  async notify(audience: Audience, _message: Reply): Promise<void> {
    this.got.push(audience);
  }
}

describe('the fan-out notifier', () => {
  it('sends a person one message, on their oldest linked platform that is attached; rooms go everywhere', async () => {
    const slack = new Recorder('slack');
    const matrix = new Recorder('matrix');
    const log = new Recorder();
    const fan = new FanOutNotifier();
    for (const n of [slack, matrix, log]) fan.add(n);
    const msg = publicReply(para('hello'));
    await fan.notify({ kind: 'person', memberId: 1, identities: ['matrix:@a:x.org', 'slack:U1'] }, msg);
    await fan.notify({ kind: 'person', memberId: 2, identities: ['console:bob', 'slack:U2'] }, msg);
    await fan.notify({ kind: 'governance' }, msg);
    expect(matrix.got.map((a) => a.kind)).toEqual(['person', 'governance']);
    expect(slack.got.map((a) => (a.kind === 'person' ? a.memberId : a.kind))).toEqual([2, 'governance']);
    expect(log.got).toHaveLength(3);
  });
});
