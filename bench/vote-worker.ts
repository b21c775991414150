// Another bot process for the concurrency tests and the benchmark: casts votes
// m<from>..m<to-1> on a poll (m<600 yes, the others no). With `change`, each first votes
// the other way, then changes their vote.
// Usage: vote-worker.ts <DATABASE_URL> <from> <to> [change] [poll id, default 1]
// Prints {"errors": n, "votes": n, "ms": n} when done (the time from the first vote).
import { consolePlatform } from '../adapters/console/console.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';

const [databaseUrl, from, to, mode, pollArg] = process.argv.slice(2);
const poll = pollArg ?? '1';
const app = await createApp({ config: loadConfig({ DATABASE_URL: databaseUrl ?? '', COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
const started = performance.now();
let cast = 0;
const replies = await Promise.all(
  Array.from({ length: Number(to) - Number(from) }, (_, k) => {
    const i = Number(from) + k;
    const vote = (choice: string) => {
      cast++;
      return app.handle({ group: 'coop', text: `vote ${poll} ${choice}`, actor: { platform: 'console', externalId: `m${i}` }, platform: consolePlatform });
    };
    const final = i < 600 ? 'yes' : 'no';
    if (mode !== 'change') return vote(final);
    return vote(final === 'yes' ? 'no' : 'yes').then((first) => (first.outcome === 'error' ? first : vote(final)));
  }),
);
const ms = Math.round(performance.now() - started);
await app.close();
process.stdout.write(`${JSON.stringify({ errors: replies.filter((r) => r.outcome === 'error').length, votes: cast, ms })}\n`);
