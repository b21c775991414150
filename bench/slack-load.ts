// Slack under load (issue 18): signed slash commands from 8 connections at once, to a
// bare Bolt app and to the bot on a seeded co-op (10,000 services), each in a process of
// its own, in alternating rounds; the bot's answers (response_url) and Web API calls go to
// a stand-in here. Prints p50 and p99 of the HTTP acknowledgement for both, and whether
// the bot's are within 1.3× the bare app's. Usage: node dist/bench/slack-load.js
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
/** The signing secret both servers are started with (bench only). */
const SECRET = '0123456789abcdef0123456789abcdef';

const CONNECTIONS = 8;
const PER_ROUND = 400;
const ROUNDS = 3;
const here = fileURLToPath(import.meta.url);
const ext = path.extname(here);
const loader = ext === '.ts' ? ['--import', 'tsx'] : [];
const sibling = (name: string) => path.join(path.dirname(here), `${name}${ext}`);
const dir = mkdtempSync(path.join(tmpdir(), 'smb-bench-slack-load-'));
const file = path.join(dir, 'bot.db');

// The seeded co-op, written by another process.
if (spawnSync(process.execPath, [...loader, sibling('seed'), file, '10000', '1000', '100000'], { stdio: 'inherit' }).status !== 0) throw new Error('seeding failed');

// Slack's side: the Web API and response_url, answering at once. The first answer on each
// response_url is noted, so that the time to the bot's answer can be told too.
const answered = new Map<number, number>();
let onAnswer = () => {};
const api = createServer((req, res) => {
  const m = /^\/response\/(\d+)$/.exec(req.url ?? '');
  if (m && !answered.has(Number(m[1]))) {
    answered.set(Number(m[1]), performance.now());
    onAnswer();
  }
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"ts":"1.1","channel":"C1"}'));
});
await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
const apiPort = (api.address() as { port: number }).port;
const apiUrl = `http://127.0.0.1:${apiPort}/api/`;

const children: ChildProcess[] = [];
// Whatever happens here, the servers go with it.
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
async function server(kind: 'bare' | 'bot'): Promise<number> {
  const child = spawn(process.execPath, ['--max-old-space-size=160', '--max-semi-space-size=2', ...loader, sibling('slack-server'), kind, apiUrl, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, MALLOC_ARENA_MAX: '2' },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /"port":(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${kind} server exited ${code}`)));
  });
}
const [barePort, botPort] = await Promise.all([server('bare'), server('bot')]);

const commands = (i: number) =>
  [`level svc-${(i * 7919) % 10000}`, `info svc-${(i * 104729) % 10000}`, 'polls', `list ${1 + (i % 250)}`][i % 4] ?? 'help';

const sentAt = new Map<number, number>();
function send(agent: Agent, port: number, i: number): Promise<number> {
  const text = commands(i);
  const body = new URLSearchParams({
    command: text === 'polls' ? '/coop' : '/service', text, user_id: `U${i % 50}`, user_name: `u${i % 50}`, channel_id: 'C1', team_id: 'T1',
    trigger_id: `t-${port}-${i}-${Math.random()}`, response_url: `http://127.0.0.1:${apiPort}/response/${i}`,
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const started = performance.now();
  sentAt.set(i, started);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/slack/events', method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Resolves when every request from..to-1 has had its answer on the response_url. */
async function answers(from: number, to: number): Promise<void> {
  const done = () => Array.from({ length: to - from }, (_, k) => from + k).every((i) => answered.has(i));
  const deadline = setTimeout(() => {
    throw new Error(`the bot did not answer every command within 5 minutes`);
  }, 300_000);
  while (!done()) await new Promise<void>((r) => (onAnswer = r));
  clearTimeout(deadline);
}

/**
 * PER_ROUND requests over CONNECTIONS keep-alive connections, each sending as soon as its
 * last is acknowledged. For the bot, the round ends when every command has been answered.
 */
async function round(port: number, offset: number, bot = false): Promise<{ times: number[]; seconds: number; answerSeconds: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < PER_ROUND) times.push(await send(agent, port, offset + next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  if (bot) await answers(offset, offset + PER_ROUND);
  return { times, seconds, answerSeconds: (performance.now() - started) / 1000 };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
await round(barePort, 0); // warm both up
await round(botPort, 0, true);
const all = { bare: [] as number[], bot: [] as number[], answers: [] as number[], bareS: 0, botS: 0, answerS: 0 };
for (let r = 0; r < ROUNDS; r++) {
  const a = await round(barePort, (r + 1) * PER_ROUND);
  const offset = (r + 1) * PER_ROUND + 100_000;
  const b = await round(botPort, offset, true);
  all.bare.push(...a.times);
  all.bot.push(...b.times);
  for (let i = offset; i < offset + PER_ROUND; i++) all.answers.push((answered.get(i) ?? NaN) - (sentAt.get(i) ?? NaN));
  all.bareS += a.seconds;
  all.botS += b.seconds;
  all.answerS += b.answerSeconds;
}
let missed = 0;
const line = (what: string, bare: number, bot: number) => {
  const ok = bot <= 1.3 * bare;
  if (!ok) missed++;
  console.log(`${ok ? 'ok  ' : 'MISS'} ${what.padEnd(40)} bare Bolt ${bare.toFixed(2).padStart(7)} ms   the bot ${bot.toFixed(2).padStart(7)} ms   ${(bot / bare).toFixed(2)}×  target ≤ 1.3×`);
};
console.log(`     ${CONNECTIONS} connections, ${ROUNDS * PER_ROUND} signed commands each (level, info, polls, list), 10,000 services`);
line('acknowledgement p50', pct(all.bare, 50), pct(all.bot, 50));
line('acknowledgement p99', pct(all.bare, 99), pct(all.bot, 99));
console.log(`     acknowledged: bare Bolt ${(all.bare.length / all.bareS).toFixed(0)} req/s, the bot ${(all.bot.length / all.botS).toFixed(0)} req/s`);
console.log(`     the bot's answers on response_url (the commands' work, queued behind the acknowledgements): p50 ${pct(all.answers, 50).toFixed(0)} ms, p99 ${pct(all.answers, 99).toFixed(0)} ms; ${(all.answers.length / all.answerS).toFixed(0)} commands answered a second`);
for (const c of children) c.kill('SIGTERM');
api.close();
rmSync(dir, { recursive: true, force: true });
process.exitCode = missed > 0 ? 1 : 0;
