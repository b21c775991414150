// Slack's text rules in one place: what arrives is decoded once, what leaves is escaped,
// and nothing is cut in the middle of a character.

/** Slack's own escaping for mrkdwn and plain text: &, < and >. Every user string that leaves passes here. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text as a person typed it, from Slack's encoding: Slack's markup first (it uses real
 * angle brackets), then the entities for what the person typed (`&amp;`, `&lt;`, `&gt;`),
 * once. A mention stays `<@U…>` or `<@U…|name>` (the core reads people that way, and
 * never splits a poll inside it), a channel becomes
 * `#name`, a link its address (with its label, when it has another), a broadcast or group its name (`@channel`).
 */
export function fromSlack(text: string): string {
  return text
    .replace(/<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>/g, (_all, sigil: string, target: string, label: string | undefined) => {
      if (sigil === '@') return label ? `<@${target}|${label}>` : `<@${target}>`;
      if (sigil === '#') return label ? `#${label}` : `#${target}`;
      if (sigil === '!') return label ?? `@${target}`;
      const link = target.replace(/^mailto:/, '');
      return label && label !== link ? `${label} (${link})` : link;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** At most `max` UTF-16 units (Slack's measure), cut between characters, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out}…`;
}

/**
 * Button labels within Slack's limit that stay distinct: when clipping would make two
 * alike, every label is numbered ("2. A long option th…").
 */
export function buttonLabels(labels: readonly string[], max = 75): string[] {
  const clipped = labels.map((l) => clip(l, max));
  if (new Set(clipped).size === clipped.length) return clipped;
  return labels.map((l, i) => clip(`${i + 1}. ${l}`, max));
}
