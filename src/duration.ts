// Durations as people write them: 7d, 36h, 90m, 2w.

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds, or null when `text` is not a duration like `7d`, `36h`, `90m` or `2w`. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,4})([mhdw])$/.exec(text.trim());
  if (!m?.[1] || !m[2]) return null;
  const ms = Number(m[1]) * (UNITS[m[2]] ?? 0);
  return ms > 0 ? ms : null;
}

export function formatDuration(ms: number): string {
  for (const [unit, size] of [['w', UNITS.w], ['d', UNITS.d], ['h', UNITS.h]] as const) {
    if (size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 60_000)}m`;
}
