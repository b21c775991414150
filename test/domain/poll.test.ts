import { describe, expect, it } from 'vitest';
import { describeResult, matchOption, pollResult, quorumFor, tally } from '../../src/domain/poll.js';

const yna = ['yes', 'no', 'abstain'];
const result = (choices: string[], quorum: number, options = yna) => pollResult(options, tally(options, choices), quorum);

describe('quorum (R6)', () => {
  it('is 3 votes or 25 % of the electorate, whichever is higher, never more than the electorate', () => {
    const q = { minVotes: 3, share: 0.25 };
    expect(quorumFor(5, q)).toBe(3);
    expect(quorumFor(40, q)).toBe(10);
    expect(quorumFor(41, q)).toBe(11);
    expect(quorumFor(2, q)).toBe(2);
    expect(quorumFor(0, q)).toBe(0);
  });
});

describe('results (R6)', () => {
  it('passes when turnout reaches the quorum and yes beats no; abstain counts for quorum only', () => {
    expect(result(['yes', 'abstain', 'abstain'], 3)).toEqual({ kind: 'passed', yes: 1, no: 0 });
    expect(result(['yes', 'abstain'], 3)).toEqual({ kind: 'no-quorum', turnout: 2, quorum: 3 });
  });
  it('rejects on a tie and on more no', () => {
    expect(describeResult(result(['yes', 'no', 'abstain'], 3))).toBe('rejected on a tie, 1 yes to 1 no');
    expect(result(['no', 'no', 'yes'], 3).kind).toBe('rejected');
  });
  it('never decides with no votes, even with a zero quorum', () => {
    expect(result([], 0).kind).toBe('no-quorum');
  });
  it('chooses between custom options, or reports a tie', () => {
    const opts = ['library', 'café', 'online'];
    expect(result(['café', 'café', 'online'], 3, opts)).toEqual({ kind: 'chosen', option: 'café', votes: 2 });
    expect(result(['café', 'online', 'library'], 3, opts)).toEqual({ kind: 'tie', options: opts, votes: 1 });
  });
  it('decides by plurality whenever the options are anything but yes/no(/abstain), the quorum still applied', () => {
    const opts = ['pizza', 'yes', 'no'];
    expect(result(['pizza', 'pizza', 'pizza', 'yes'], 3, opts)).toEqual({ kind: 'chosen', option: 'pizza', votes: 3 });
    expect(describeResult(result(['pizza', 'yes'], 2, opts))).toBe('a tie between "pizza" and "yes" (1 vote each)');
    expect(result(['pizza', 'pizza'], 3, opts).kind).toBe('no-quorum');
    expect(result(['Yes', 'Yes', 'No'], 3, ['Yes', 'No'])).toEqual({ kind: 'passed', yes: 2, no: 1 });
    expect(result(['yes', 'no', 'yes'], 3, ['yes', 'no', 'maybe']).kind).toBe('chosen');
  });
  it('ignores choices that are not options', () => {
    expect(tally(yna, ['yes', 'maybe'])).toEqual(new Map([['yes', 1], ['no', 0], ['abstain', 0]]));
  });
});

describe('matching what a voter typed', () => {
  it('takes a label in any case, else a number', () => {
    expect(matchOption(yna, 'YES')).toBe('yes');
    expect(matchOption(yna, '2')).toBe('no');
    expect(matchOption(['2', '1'], '1')).toBe('1');
    expect(matchOption(yna, '4')).toBeUndefined();
    expect(matchOption(yna, 'maybe')).toBeUndefined();
  });
});
