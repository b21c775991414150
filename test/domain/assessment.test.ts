import { describe, expect, it } from 'vitest';
import { verificationBlockers, type Assessment } from '../../src/domain/assessment.js';
import { loadCatalogueFile } from '../../src/catalogue-file.js';

const catalogue = loadCatalogueFile('catalogues/coop-default.json');
const at = new Date('2026-01-01');
const all = (level: 'alpha' | 'beta' | 'live', status: Assessment['status'] = 'met'): Assessment[] =>
  catalogue.levels[level].map((r) => ({ requirementKey: r.key, status, note: '', assessedAt: at }));

const base = { maintainerCount: 2, hasOpenRequest: false, openDeficiencies: 0, catalogue };

describe('verification checks (R5)', () => {
  it('passes when every requirement is met or a documented deviation', () => {
    const assessments = all('beta');
    assessments[0] = { ...assessments[0]!, status: 'deviation', note: 'documented' };
    expect(verificationBlockers({ ...base, level: 'alpha', target: 'beta', assessments })).toEqual([]);
  });
  it('allows only the next level', () => {
    expect(verificationBlockers({ ...base, level: 'proposed', target: 'beta', assessments: all('beta') })).toEqual([
      'A service at proposed can only ask to be verified at alpha, the next level, not beta.',
    ]);
  });
  it('lists everything missing at once', () => {
    const assessments = all('beta').slice(1);
    assessments[0] = { ...assessments[0]!, status: 'unmet' };
    const problems = verificationBlockers({ ...base, level: 'alpha', target: 'beta', maintainerCount: 1, hasOpenRequest: true, openDeficiencies: 2, assessments });
    expect(problems).toEqual([
      'A verification request is already open; wait for its poll or withdraw it.',
      '2 open deficiencies: resolve them first.',
      'Beta needs at least two maintainers; it has 1.',
      'beta.deployed (Deployed) is not assessed yet.',
      'beta.co-maintainers (Co-maintainers found) is assessed unmet.',
    ]);
  });
  it('has nothing above live', () => {
    expect(verificationBlockers({ ...base, level: 'live', target: 'live', assessments: [] })[0]).toMatch(/already live/);
  });
});
