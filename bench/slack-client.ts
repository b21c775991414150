// The client side of bench/slack.ts: signed slash commands to a bare Bolt app and to the
// bot, side by side. Usage: slack-client <bare-port> <bot-port> <api-port>
import { createHmac } from 'node:crypto';

const SECRET = '0123456789abcdef0123456789abcdef';
const ROUNDS = 300;
const [barePort, oursPort, apiPort] = process.argv.slice(2).map(Number) as [number, number, number];

async function once(port: number, i: number): Promise<number> {
  const body = new URLSearchParams({
    command: '/service', text: `level svc-${i}`, user_id: 'UALICE', user_name: 'alice', channel_id: 'C1', team_id: 'T1',
    trigger_id: `t-${port}-${i}`, response_url: `http://127.0.0.1:${apiPort}/response/${i}`,
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const t = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig },
  });
  await res.text();
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  return performance.now() - t;
}

const times = { bare: [] as number[], ours: [] as number[] };
for (let i = 0; i < 30; i++) await Promise.all([once(barePort, i), once(oursPort, i)]); // warm up
for (let i = 0; i < ROUNDS; i++) {
  // Side by side: alternate which goes first.
  if (i % 2 === 0) {
    times.bare.push(await once(barePort, i));
    times.ours.push(await once(oursPort, i));
  } else {
    times.ours.push(await once(oursPort, i));
    times.bare.push(await once(barePort, i));
  }
  await new Promise((r) => setTimeout(r, 20)); // let the work after ack() finish between rounds
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? NaN;
const ratio = median(times.ours) / median(times.bare);
console.log(`bare Bolt ack:     median ${median(times.bare).toFixed(2)} ms, p90 ${p90(times.bare).toFixed(2)} ms`);
console.log(`the bot's answer:  median ${median(times.ours).toFixed(2)} ms, p90 ${p90(times.ours).toFixed(2)} ms`);
console.log(`${ratio <= 1.3 ? 'ok  ' : 'MISS'} ratio of medians ${ratio.toFixed(2)}×   target ≤ 1.3×`);

