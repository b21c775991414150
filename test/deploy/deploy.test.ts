// The deployment recipes in deploy/ as a sysadmin would use them: the systemd units pass
// `systemd-analyze verify`, the nginx example runs in front of a real bot (HTTPS, Slack's
// path passed through untouched, /metrics refused to all but Prometheus, writes refused),
// and the upgrade script is valid shell.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { request } from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebAdapter, type WebAdapter } from '../../adapters/web/server.js';
import { openBot, type TestBot } from '../helpers/bot.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const DEPLOY = path.resolve('deploy');
// Debian puts nginx in /usr/sbin, which is not on every user's PATH.
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

describe('the systemd units', () => {
  it('pass systemd-analyze verify', () => {
    const dir = tempDir();
    const units = readdirSync(DEPLOY).filter((f) => f.endsWith('.service') || f.endsWith('.timer'));
    expect(units.sort()).toEqual(['service-maturity-bot-backup.service', 'service-maturity-bot-backup.timer', 'service-maturity-bot.service']);
    // Installed where the unit says, the bot's folder is this checkout.
    for (const unit of units) writeFileSync(path.join(dir, unit), readFileSync(path.join(DEPLOY, unit), 'utf8').replaceAll('/opt/service-maturity-bot', process.cwd()));
    const r = spawnSync('systemd-analyze', ['verify', ...units.map((u) => path.join(dir, u))], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
    const unit = readFileSync(path.join(DEPLOY, 'service-maturity-bot.service'), 'utf8');
    for (const line of ['User=service-maturity-bot', 'EnvironmentFile=/etc/service-maturity-bot.env', 'Restart=on-failure', 'NoNewPrivileges=true', 'ProtectSystem=strict', 'UMask=0077']) expect(unit).toContain(line);
  });
});

describe('the upgrade script', () => {
  it('is valid shell that stops, backs up, installs and starts', () => {
    const r = spawnSync('bash', ['-n', path.join(DEPLOY, 'upgrade.sh')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const script = readFileSync(path.join(DEPLOY, 'upgrade.sh'), 'utf8');
    const order = ['stop "$UNIT"', 'service-maturity-bot-backup.service', 'git checkout', 'npm ci --omit=dev', 'start "$UNIT"'].map((s) => script.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

describe('the nginx example', () => {
  let bot: TestBot;
  let web: WebAdapter;
  let slack: Server;
  let nginx: ChildProcess;
  let https: number;
  let http: number;
  const slackBodies: string[] = [];

  beforeAll(async () => {
    const dir = tempDir();
    bot = await openBot(tempDir());
    web = createWebAdapter({ core: bot.app, timezone: 'UTC', logger: bot.app.deps.logger });
    const webPort = await web.start(0);
    // Slack's side of the bot: what reaches it must be exactly what Slack sent (it is signed).
    slack = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        slackBodies.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
    const slackPort = (slack.address() as { port: number }).port;
    [https, http] = [await freePort(), await freePort()];
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=bot.example.coop', '-days', '1', '-keyout', key, '-out', cert], { encoding: 'utf8' });
    expect(made.status).toBe(0);
    // The example as shipped, with this machine's ports and a test certificate.
    const site = readFileSync(path.join(DEPLOY, 'nginx.conf'), 'utf8')
      .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${slackPort};`)
      .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${webPort};`)
      .replaceAll('listen 80;', `listen 127.0.0.1:${http};`)
      .replaceAll('listen 443 ssl http2;', `listen 127.0.0.1:${https} ssl http2;`)
      .replace(/^\s*listen \[::\].*$/gm, '')
      .replace('/etc/letsencrypt/live/bot.example.coop/fullchain.pem', cert)
      .replace('/etc/letsencrypt/live/bot.example.coop/privkey.pem', key);
    mkdirSync(path.join(dir, 'logs'));
    writeFileSync(path.join(dir, 'site.conf'), site);
    writeFileSync(
      path.join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nerror_log stderr warn;\nevents {}\nhttp {\n access_log off;\n client_body_temp_path ${dir}/body;\n proxy_temp_path ${dir}/proxy;\n include ${dir}/site.conf;\n}\n`,
    );
    const args = ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', 'stderr'];
    const check = spawnSync(NGINX, [...args, '-t'], { encoding: 'utf8' });
    expect(check.error).toBeUndefined(); // nginx is installed (Debian's nginx; .ci/run installs it)
    expect(check.status, check.stderr).toBe(0);
    nginx = spawn(NGINX, [...args, '-g', 'daemon off;'], { stdio: 'ignore' });
    await waitFor(async () => (await get('/healthz').catch(() => null))?.status === 200, 'nginx to answer');
  }, 60_000);

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    await new Promise((r) => slack?.close(r));
    await web?.stop();
    await bot?.close();
  });

  function get(p: string, method = 'GET', body?: string): Promise<{ status: number; body: string; location?: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: https, path: p, method, rejectUnauthorized: false, servername: 'bot.example.coop', headers: { host: 'bot.example.coop' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('serves the pages over HTTPS, passes Slack requests untouched, and keeps /metrics and writes out', async () => {
    const health = await get('/healthz');
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', problems: {} });
    expect((await get('/')).body).toContain('<h1>Services</h1>');
    const signed = 'token=x&command=%2Fservice&text=level+wiki&user_id=U1';
    expect((await get('/slack/events', 'POST', signed)).status).toBe(200);
    expect(slackBodies).toEqual([signed]);
    expect((await get('/metrics')).status).toBe(403);
    expect((await get('/', 'POST', 'x')).status).toBe(403);
    const plain = await new Promise<IncomingMessage>((resolve, reject) =>
      httpRequest({ host: '127.0.0.1', port: http, path: '/services/wiki', headers: { host: 'bot.example.coop' } }, resolve).on('error', reject).end(),
    );
    plain.resume();
    expect(plain.statusCode).toBe(301);
    expect(plain.headers.location).toBe('https://bot.example.coop/services/wiki');
  });
});
