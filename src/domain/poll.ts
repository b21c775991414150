// Polls (R6): electorate, quorum, tally and result, as plain functions.
import type { Quorum } from '../config.js';

export const DEFAULT_OPTIONS = ['yes', 'no', 'abstain'] as const;
export const MAX_OPTIONS = 10;
export const MAX_OPTION_LENGTH = 80;
export const MAX_QUESTION_LENGTH = 300;

/** general: any question; verification: a service's next level (R5); requirements: a new catalogue (R11). */
export type PollKind = 'general' | 'verification' | 'requirements';
export type PollStatus = 'open' | 'closed' | 'cancelled';
export type CloseReason = 'deadline' | 'all-voted' | 'board';

/** Votes needed: the higher of the count and the share, never more than the electorate. */
export function quorumFor(electorate: number, q: Quorum): number {
  return Math.min(electorate, Math.max(q.minVotes, Math.ceil(q.share * electorate)));
}

export function tally(options: readonly string[], choices: readonly string[]): Map<string, number> {
  const counts = new Map(options.map((o) => [o, 0]));
  for (const c of choices) if (counts.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
}

/**
 * A poll is a yes/no decision only when its options are yes and no (and abstain, if
 * any), whatever their case; any other poll is a choice between its options, decided by
 * plurality (`pizza | yes | no` is a choice: "yes" there is just an option).
 */
export function isDecision(options: readonly string[]): boolean {
  const set = options.map((o) => o.toLowerCase()).sort().join('|');
  return set === 'no|yes' || set === 'abstain|no|yes';
}

export type PollResult =
  | { kind: 'no-quorum'; turnout: number; quorum: number }
  | { kind: 'passed'; yes: number; no: number }
  | { kind: 'rejected'; yes: number; no: number }
  | { kind: 'chosen'; option: string; votes: number }
  | { kind: 'tie'; options: string[]; votes: number };

/**
 * The result of a closed poll. A decision passes when turnout reaches the quorum and
 * yes beats no (a simple majority: a tie rejects; abstain counts for quorum only).
 */
export function pollResult(options: readonly string[], counts: ReadonlyMap<string, number>, quorum: number): PollResult {
  const turnout = [...counts.values()].reduce((a, b) => a + b, 0);
  if (turnout < quorum || turnout === 0) return { kind: 'no-quorum', turnout, quorum };
  if (isDecision(options)) {
    const count = (word: string) => counts.get(options.find((o) => o.toLowerCase() === word) ?? word) ?? 0;
    const yes = count('yes');
    const no = count('no');
    return yes > no ? { kind: 'passed', yes, no } : { kind: 'rejected', yes, no };
  }
  const top = Math.max(...counts.values());
  const leaders = options.filter((o) => counts.get(o) === top);
  return leaders.length === 1 ? { kind: 'chosen', option: leaders[0] as string, votes: top } : { kind: 'tie', options: leaders, votes: top };
}

const votes = (n: number) => `${n} ${n === 1 ? 'vote' : 'votes'}`;

export function describeResult(r: PollResult): string {
  switch (r.kind) {
    case 'no-quorum':
      return `not decided: ${r.turnout} voted, the quorum was ${r.quorum}`;
    case 'passed':
      return `passed, ${r.yes} yes to ${r.no} no`;
    case 'rejected':
      return r.yes === r.no ? `rejected on a tie, ${r.yes} yes to ${r.no} no` : `rejected, ${r.yes} yes to ${r.no} no`;
    case 'chosen':
      return `"${r.option}" chosen with ${votes(r.votes)}`;
    case 'tie':
      return `a tie between ${r.options.map((o) => `"${o}"`).join(' and ')} (${votes(r.votes)} each)`;
  }
}

/** Finds the option a voter meant: its label (any case), else its number. */
export function matchOption(options: readonly string[], input: string): string | undefined {
  const trimmed = input.trim();
  const byLabel = options.find((o) => o.toLowerCase() === trimmed.toLowerCase());
  if (byLabel !== undefined) return byLabel;
  const n = /^\d{1,2}$/.test(trimmed) ? Number(trimmed) : NaN;
  return n >= 1 && n <= options.length ? options[n - 1] : undefined;
}
