import { describe, expect, it } from 'vitest';
import { cleanText, hasUnsafeCharacters } from '../../src/domain/text.js';

describe('the input gate', () => {
  it('removes controls, direction and zero-width characters, and normalises to NFC', () => {
    expect(cleanText('fdp\u202Eexe.pdf')).toBe('fdpexe.pdf');
    expect(cleanText('\x1b[2Jclear \x1b]0;title\x07 bell\x00 nul\x7f del\x85 nel')).toBe('[2Jclear ]0;title bell nul del nel');
    expect(cleanText('a\u2066b\u2069c\u200Bd\u200De\uFEFFf')).toBe('abcdef');
    expect(cleanText('e\u0301')).toBe('é');
    expect(cleanText('one\r\ntwo\tthree')).toBe('one two three');
    expect(cleanText('one\r\ntwo', { multiline: true })).toBe('one\ntwo');
    expect(hasUnsafeCharacters(cleanText('\u202E\x1b\u200B'))).toBe(false);
  });
});
