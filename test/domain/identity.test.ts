import { describe, expect, it } from 'vitest';
import { parseIdentity } from '../../src/domain/identity.js';

describe('people as each platform writes them', () => {
  it.each([
    ['<@U024BE7LH>', 'slack', 'U024BE7LH'],
    ['slack:U024BE7LH', 'slack', 'U024BE7LH'],
    ['@alice:example.org', 'matrix', '@alice:example.org'],
    ['matrix:@alice:example.org', 'matrix', '@alice:example.org'],
    ['@Alice', 'console', 'alice'],
    ['console:bob', 'console', 'bob'],
  ])('reads %s', (token, platform, externalId) => {
    expect(parseIdentity(token)).toEqual({ platform, externalId });
  });
  it("keeps the name in Slack's escaped mentions, for records made from a mention", () => {
    expect(parseIdentity('<@U024BE7LH|bob>')).toEqual({ platform: 'slack', externalId: 'U024BE7LH', label: 'bob' });
  });
  it.each(['alice', '<@bad>', '@', 'slack:lower', 'irc:bob', '@a b'])('refuses %j', (token) => {
    expect(parseIdentity(token)).toBeNull();
  });
});
