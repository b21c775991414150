import { describe, expect, it } from 'vitest';
import { parseIdentity } from '../../src/domain/identity.js';

describe('people as each platform writes them', () => {
  it.each([
    ['<@U024BE7LH>', 'slack', 'U024BE7LH'],
    ['<@U024BE7LH|bob>', 'slack', 'U024BE7LH'],
    ['slack:U024BE7LH', 'slack', 'U024BE7LH'],
    ['@alice:example.org', 'matrix', '@alice:example.org'],
    ['matrix:@alice:example.org', 'matrix', '@alice:example.org'],
    ['@Alice', 'console', 'alice'],
    ['console:bob', 'console', 'bob'],
  ])('reads %s', (token, platform, externalId) => {
    expect(parseIdentity(token)).toEqual({ platform, externalId });
  });
  it.each(['alice', '<@bad>', '@', 'slack:lower', 'irc:bob', '@a b'])('refuses %j', (token) => {
    expect(parseIdentity(token)).toBeNull();
  });
});
