// The core knows no chat SDK and no adapter (STYLE.md §1).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : files(p, pattern);
    return pattern.test(e.name) ? [p] : [];
  });
}

const FORBIDDEN = [/^@slack\//, /^matrix-bot-sdk/, /^matrix-js-sdk/, /^@matrix-org\//, /(^|\/)adapters(\/|$)/];

function coreViolations(root: string, pattern = /\.(ts|mts|js)$/): string[] {
  const out: string[] = [];
  for (const file of files(root, pattern)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)) {
      const spec = m[1] as string;
      if (FORBIDDEN.some((f) => f.test(spec))) out.push(`${path.relative(root, file)} imports ${spec}`);
    }
  }
  return out;
}

describe('architecture', () => {
  it('src/ imports no chat SDK and nothing from adapters/', () => {
    expect(coreViolations('src')).toEqual([]);
  });

  it('nothing in the core imports upward: rules, replies, use cases, the scheduler and the store know no command', () => {
    const upward: string[] = [];
    for (const layer of ['src/domain', 'src/reply', 'src/usecases', 'src/scheduler', 'src/store']) {
      for (const file of files(layer, /\.ts$/)) {
        for (const m of readFileSync(file, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)) {
          const target = path.resolve(path.dirname(file), m[1] as string);
          if (target.startsWith(path.resolve('src/commands')) || target === path.resolve('src/app.js')) upward.push(`${file} imports ${m[1]}`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it('the check catches a violation', () => {
    const dir = path.join('test', 'fixtures', 'bad-core');
    expect(coreViolations(dir, /\.txt$/)).toEqual([
      'a.ts.txt imports @slack/bolt',
      'b.ts.txt imports ../../adapters/slack/app.js',
      'b.ts.txt imports matrix-bot-sdk',
    ]);
  });
});
