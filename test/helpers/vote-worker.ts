// A second bot process for the concurrency test: casts votes m<from>..m<to-1> on poll 1.
// Usage: vote-worker.ts <db-file> <from> <to>   Prints {"errors": n} when done.
import { consolePlatform } from '../../adapters/console/console.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';

const [file, from, to] = process.argv.slice(2);
const app = await createApp({ config: loadConfig({ DATABASE_URL: `file:${file}`, COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
const replies = await Promise.all(
  Array.from({ length: Number(to) - Number(from) }, (_, k) => {
    const i = Number(from) + k;
    return app.handle({ group: 'coop', text: `vote 1 ${i < 600 ? 'yes' : 'no'}`, actor: { platform: 'console', externalId: `m${i}` }, platform: consolePlatform });
  }),
);
await app.close();
process.stdout.write(`${JSON.stringify({ errors: replies.filter((r) => r.outcome === 'error').length })}\n`);
