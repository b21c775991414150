import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allKeys, CatalogueError, catalogueHash, parseCatalogue } from '../../src/domain/catalogue.js';
import { loadCatalogueFile } from '../../src/catalogue-file.js';

describe('requirement catalogues (R3)', () => {
  it('ships a valid default catalogue following the co-op rules', () => {
    const cat = loadCatalogueFile('catalogues/coop-default.json');
    expect(allKeys(cat)).toContain('beta.co-maintainers');
    expect(cat.levels.live.map((r) => r.key)).toEqual(expect.arrayContaining(['live.runbooks', 'live.backup-restore', 'live.monitoring']));
  });

  it('ships a valid iterations catalogue', () => {
    const cat = loadCatalogueFile('catalogues/iterations.json');
    expect(allKeys(cat)).toEqual(
      expect.arrayContaining(['alpha.provisioning', 'beta.backup', 'beta.restore', 'beta.logs', 'beta.metrics', 'live.alerting', 'live.stable']),
    );
  });

  it('refuses a key filed under the wrong level, naming where', () => {
    const cat = JSON.parse(readFileSync('catalogues/coop-default.json', 'utf8'));
    cat.levels.alpha[0].key = 'beta.kind-decided';
    expect(() => parseCatalogue(JSON.stringify(cat), 'mine.json')).toThrow(/mine.json.*\n.*levels\.alpha\.0\.key.*another level/);
  });

  it('refuses duplicate keys, unknown fields and broken JSON', () => {
    const cat = JSON.parse(readFileSync('catalogues/coop-default.json', 'utf8'));
    cat.levels.beta.push(cat.levels.beta[0]);
    expect(() => parseCatalogue(JSON.stringify(cat), 'x')).toThrow(/appears twice/);
    expect(() => parseCatalogue(JSON.stringify({ ...cat, colour: 'red' }), 'x')).toThrow(CatalogueError);
    expect(() => parseCatalogue('{"name": ', 'x')).toThrow(/not valid JSON/);
  });

  it('says when the file does not exist', () => {
    expect(() => loadCatalogueFile('catalogues/nope.json')).toThrow(/REQUIREMENTS_FILE.*nope.json does not exist/);
  });

  it('fingerprints meaning, not formatting', () => {
    const text = readFileSync('catalogues/coop-default.json', 'utf8');
    const a = parseCatalogue(text, 'a');
    const b = parseCatalogue(JSON.stringify(JSON.parse(text)), 'b');
    expect(catalogueHash(a)).toBe(catalogueHash(b));
    b.levels.alpha[0]!.title = 'Changed';
    expect(catalogueHash(a)).not.toBe(catalogueHash(b));
  });
});
