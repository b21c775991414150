// The one gate every typed string passes on the way in (STYLE.md §14): Unicode NFC, and
// no characters that can rewrite how text reads: C0/C1 controls (ESC, BEL, NUL, DEL…),
// direction overrides, embeddings, isolates and marks, zero-width characters.

// C0 controls but tab and line feed, DEL, and C1 controls.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Direction marks, embeddings, overrides and isolates; zero-width space, joiners, word joiner, BOM.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Cleans text as a person typed it. Line breaks stay when `multiline` (a field of
 * several lines), and become spaces otherwise; a tab is a space.
 */
export function cleanText(text: string, opts: { multiline?: boolean } = {}): string {
  const normalised = text.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROLS, '').replace(INVISIBLE, '').replace(/\t/g, ' ');
  return opts.multiline ? normalised : normalised.replace(/\n/g, ' ');
}

/** Whether `text` holds anything the gate would remove (for tests and checks of stored data). */
export function hasUnsafeCharacters(text: string): boolean {
  return new RegExp(CONTROLS.source).test(text) || new RegExp(INVISIBLE.source).test(text);
}
