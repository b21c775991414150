// The shared command grammar: words separated by spaces, "double", 'single' or
// “curly” quotes around text with spaces, mentions as each platform writes them.
import { UserError } from '../domain/errors.js';

export interface Token {
  value: string;
  /** Offsets of the token in the input, quotes included. */
  start: number;
  end: number;
  quoted: boolean;
}

/** The longest command text we read: chat input is untrusted. */
export const MAX_INPUT = 4000;

const CLOSERS: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

export function tokenize(text: string): Token[] {
  if (text.length > MAX_INPUT) {
    throw new UserError(`That command is ${text.length} characters long; the most the bot reads is ${MAX_INPUT}.`);
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const closer = CLOSERS[ch];
    if (closer) {
      const end = text.indexOf(closer, i + 1);
      if (end === -1) {
        throw new UserError(`A quote opened with ${ch} is never closed.`, { pointer: pointAt(text, i, 'closing quote expected') });
      }
      tokens.push({ value: text.slice(i + 1, end), start: i, end: end + 1, quoted: true });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j] as string)) j++;
    tokens.push({ value: text.slice(i, j), start: i, end: j, quoted: false });
    i = j;
  }
  return tokens;
}

/** The input with a caret under the offending place: `^ expected … here`. */
export function pointAt(text: string, offset: number, what: string): string {
  const line = text.replace(/\s/g, ' ');
  return `${line}\n${' '.repeat(Math.max(0, offset))}^ ${what}`;
}
