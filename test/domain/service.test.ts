import { describe, expect, it } from 'vitest';
import { isServiceName, levelBelow, nextLevel } from '../../src/domain/service.js';

describe('service names (R1)', () => {
  it.each(['wiki', 'ab', 'mail-relay', 'x2', `a${'b'.repeat(39)}`])('accepts %s', (name) => {
    expect(isServiceName(name)).toBe(true);
  });
  it.each(['a', 'Wiki', '2fa', '-wiki', 'wi_ki', 'wi ki', `a${'b'.repeat(40)}`, ''])('refuses %j', (name) => {
    expect(isServiceName(name)).toBe(false);
  });
});

describe('levels (R2, R10)', () => {
  it('climbs one level at a time and stops at live', () => {
    expect(nextLevel('proposed')).toBe('alpha');
    expect(nextLevel('alpha')).toBe('beta');
    expect(nextLevel('beta')).toBe('live');
    expect(nextLevel('live')).toBeNull();
    expect(nextLevel('retired')).toBeNull();
  });
  it('descends one level at a time and stops at proposed', () => {
    expect(levelBelow('live')).toBe('beta');
    expect(levelBelow('beta')).toBe('alpha');
    expect(levelBelow('alpha')).toBe('proposed');
    expect(levelBelow('proposed')).toBeNull();
  });
});
