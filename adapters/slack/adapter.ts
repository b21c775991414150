// The Slack adapter: Bolt in HTTP mode (signing secret, /slack/events) or Socket Mode
// (app token). It translates slash commands and button clicks into core commands and
// renders the replies; nothing about the process lives here.
import { App as BoltApp, LogLevel, SocketModeReceiver, type Logger as BoltLogger, type RespondArguments, type RespondFn } from '@slack/bolt';
import type { AppsConnectionsOpenResponse, WebClientOptions } from '@slack/web-api';
import type { App as Core } from '../../src/app.js';
import type { Group, PlatformInfo } from '../../src/context.js';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import type { Reply } from '../../src/reply/model.js';
import { SlackFrontDoor } from './front-door.js';
import { SlackNotifier } from './notifier.js';
import { pollOf, renderSlack, type SlackMessage } from './render.js';
import { callSlack, slackAnswer, slackError } from './web.js';
import { fromSlack } from './text.js';
import { SlackNames, type SlackProfile } from './names.js';
import { StartupError } from '../../src/startup.js';
import { backoffMs } from '../../src/pace.js';
import { documentFileName, errorReply, para } from '../../src/reply/model.js';
import { cancelUnshownPoll } from '../../src/usecases/cancel-unshown-poll.js';
import { withDocumentFile } from '../../src/documents.js';

export const slackPlatform: PlatformInfo = { name: 'slack', commandPrefix: (g: Group) => `/${g}` };

export interface SlackAdapterOptions {
  core: Core;
  settings: NonNullable<Config['slack']>;
  timezone: string;
  logger: Logger;
  /** Verify the token with auth.test at start (Bolt's default). */
  verifyToken?: boolean;
  /** Socket Mode's ping timeout (Slack's default 5 s); reconnect waits are multiples of it. */
  socketPingTimeoutMs?: number;
  /** The first wait before trying to reach Slack again (default 1 s; doubles, capped at a minute). */
  retryBaseMs?: number;
  /** At most one update of a poll message this often (default 2 s). */
  updateIntervalMs?: number;
  /** HTTP mode: requests taken but not yet done, past which new ones are turned away (default 500). */
  maxPending?: number;
}

export interface SlackAdapter {
  notifier: SlackNotifier;
  start(): Promise<{ port?: number }>;
  /** Resolves when the work of every event received so far (after its ack) is done. */
  idle(): Promise<void>;
  /** Stops receiving, lets the work in hand finish, then sends what is pending. */
  stop(): Promise<void>;
}

export function createSlackAdapter(o: SlackAdapterOptions): SlackAdapter {
  const { core, settings, logger } = o;
  const socketMode = !!settings.appToken && !settings.signingSecret;
  const boltLogger: BoltLogger = {
    debug: () => {},
    info: (...m: unknown[]) => logger.info(`bolt: ${m.map(String).join(' ')}`),
    warn: (...m: unknown[]) => logger.warn(`bolt: ${m.map(String).join(' ')}`),
    error: (...m: unknown[]) => logger.error(`bolt: ${m.map(String).join(' ')}`),
    setLevel: () => {},
    getLevel: () => LogLevel.WARN,
    setName: () => {},
  };
  // Socket Mode has its own Web API settings: opening a connection (apps.connections.open)
  // is safe to repeat, so it is retried with backoff, unlike the bot's own calls (which
  // may have been delivered, and are never repeated blindly).
  const socketReceiver = socketMode ? socketModeReceiver(o, boltLogger) : undefined;
  // HTTP mode: the front door answers Slack on a thread of its own (front-door.ts).
  const frontDoor = socketMode ? undefined : new SlackFrontDoor({ signingSecret: settings.signingSecret ?? '', logger, health: core.health, maxPending: o.maxPending });
  const bolt = new BoltApp({
    token: settings.botToken,
    ...(socketReceiver ? { socketMode: true, receiver: socketReceiver } : { receiver: frontDoor }),
    clientOptions: { slackApiUrl: settings.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } },
    tokenVerificationEnabled: o.verifyToken ?? true,
    // Bolt checks the token (auth.test) when it initialises: done in start(), where a
    // rejected token stops the bot with one line instead of a later unhandled rejection.
    deferInitialization: true,
    logLevel: LogLevel.WARN,
    logger: boltLogger,
  });

  // Work Bolt does after ack(): tracked, so that stopping waits for it (and tests can too).
  const inFlight = new Set<Promise<unknown>>();
  bolt.use(async ({ next }) => {
    const work = next();
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });
  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const idle = async () => {
    await frontDoor?.idle();
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };
  const names = new SlackNames({ core, client: bolt.client, logger });
  const notifier = new SlackNotifier({ core, client: bolt.client, logger, governanceChannel: settings.governanceChannel, timezone: o.timezone, updateIntervalMs: o.updateIntervalMs });

  /** Slack takes up to five answers on one response_url. */
  const RESPONSES_PER_URL = 5;

  /**
   * Sends a reply's messages on the response_url; past its limit, or if it is spent or
   * expired, through the Web API (`fallback`, named `via` in the log).
   */
  async function respondAll(respond: RespondFn, reply: Reply, type: 'ephemeral' | 'in_channel', via: string, fallback: (m: SlackMessage) => Promise<unknown>): Promise<void> {
    for (const [i, m] of renderSlack(reply, o.timezone).entries()) {
      try {
        if (i >= RESPONSES_PER_URL) throw new Error('more answers than one response_url takes');
        await respond({ response_type: type, ...(type === 'ephemeral' ? { replace_original: false } : {}), text: m.text, blocks: m.blocks } as RespondArguments);
      } catch (e) {
        logger.warn(`response_url failed; answering with ${via}`, { error: e instanceof Error ? e.message : String(e) });
        await fallback(m);
      }
    }
  }

  /** Answers privately through response_url; past its limit, or if it is spent or expired, with chat.postEphemeral. */
  async function answerPrivately(respond: RespondFn, channel: string, user: string, reply: Reply): Promise<void> {
    await respondAll(respond, reply, 'ephemeral', 'chat.postEphemeral', ({ text, blocks }) =>
      callSlack('chat.postEphemeral', () => bolt.client.chat.postEphemeral({ channel, user, text, blocks }), logger, { health: core.health, metrics: core.deps.metrics }),
    );
  }

  /**
   * A document (the AGM report) goes whole as a Markdown file, made section by section:
   * into the channel for a public answer, into the person's direct messages for a private one.
   */
  async function uploadDocuments(channel: string, user: string, reply: Reply): Promise<void> {
    for (const b of reply.blocks) {
      if (b.type !== 'document' || !b.whole) continue;
      const to = reply.visibility === 'private' ? await notifier.directChannel(user) : channel;
      if (!to) continue;
      const filename = documentFileName(b.title);
      await withDocumentFile(core.documentSections(b.whole), filename, (file) =>
        callSlack('files.uploadV2', () => bolt.client.files.uploadV2({ channel_id: to, filename, title: b.title, file, initial_comment: `${b.title}, whole.` }), logger, {
          health: core.health,
          metrics: core.deps.metrics,
        }),
      );
    }
  }

  async function answer(respond: RespondFn, channel: string, user: string, reply: Reply): Promise<void> {
    await answerInChat(respond, channel, user, reply);
    await uploadDocuments(channel, user, reply);
  }

  async function answerInChat(respond: RespondFn, channel: string, user: string, reply: Reply): Promise<void> {
    if (reply.visibility === 'private') return answerPrivately(respond, channel, user, reply);
    // A public reply with a poll is posted as a message of its own, so that it can be updated.
    const poll = pollOf(reply);
    if (poll) {
      try {
        await notifier.post(channel, reply);
      } catch (e) {
        const why = slackError(e);
        if (why === null || !CANNOT_POST.has(why)) throw e;
        // Nobody can see it there: cancel it in one step, and say how to let the bot in.
        const unshown = await cancelUnshownPoll(core.deps, poll.id, `Slack channel ${channel}`);
        logger.warn('poll not posted: the bot cannot post in the channel; poll cancelled', { pollId: poll.id, channel, answer: why });
        await answerPrivately(
          respond,
          channel,
          user,
          errorReply(
            para(
              `I cannot post in this channel (${why}), so poll #${poll.id} was cancelled${unshown.withdrawnFor !== null ? ' and the verification request withdrawn' : ''}. Invite me first: type `,
              { code: '/invite @' },
              ' and my name here, then ask again.',
            ),
          ),
        );
      }
      return;
    }
    await respondAll(respond, reply, 'in_channel', 'chat.postMessage', (m) => notifier.postMessage(channel, m));
  }

  for (const group of ['service', 'coop'] as const) {
    bolt.command(`/${group}`, async ({ command, ack, respond }) => {
      await ack(); // at once: Slack gives up after 3 seconds
      // Slack may deliver the same command again; trigger_id names one invocation.
      const fresh = await core.store.write((r) => r.events.claim(`slack:command:${command.trigger_id}`, core.deps.clock.now()));
      if (!fresh) return;
      const reply = await core.handle({
        group,
        // Decoded from Slack's encoding here, once: the core stores what the person typed.
        text: fromSlack(command.text ?? ''),
        actor: { platform: 'slack', externalId: command.user_id },
        displayName: fromSlack(command.user_name),
        room: command.channel_id,
        platform: slackPlatform,
      });
      await answer(respond, command.channel_id, command.user_id, reply);
      // After answering: the person's own name, and anyone they mentioned who is still an id.
      await names.refresh(command.user_id);
      if ((command.text ?? '').includes('<@')) await names.backfill();
    });
  }

  bolt.event('user_change', async ({ event }) => {
    await names.changed(event.user as SlackProfile);
  });

  bolt.action(/^vote:\d+:\d+$/, async ({ ack, body, action, respond }) => {
    await ack();
    if (action.type !== 'button' || body.type !== 'block_actions') return;
    let choice: { poll: number; option: string };
    try {
      choice = JSON.parse(action.value ?? '') as { poll: number; option: string };
    } catch {
      return;
    }
    if (!Number.isInteger(choice.poll) || typeof choice.option !== 'string') return;
    // Slack may deliver the same click again (a retry, a Socket Mode envelope redelivered).
    const fresh = await core.store.write((r) => r.events.claim(`slack:action:${body.trigger_id}`, core.deps.clock.now()));
    if (!fresh) return;
    const reply = await core.handle({
      group: 'coop',
      text: `vote ${choice.poll} ${choice.option}`,
      actor: { platform: 'slack', externalId: body.user.id },
      displayName: body.user.name === undefined ? undefined : fromSlack(body.user.name),
      room: body.channel?.id,
      platform: slackPlatform,
    });
    await answerPrivately(respond, body.channel?.id ?? '', body.user.id, { ...reply, visibility: 'private' });
  });

  /** A governance channel the bot cannot post in is a warning at start, naming it. */
  async function checkGovernanceChannel(): Promise<void> {
    const channel = settings.governanceChannel;
    if (!channel) return;
    try {
      const info = await bolt.client.conversations.info({ channel });
      if (info.channel?.is_member === false) {
        logger.warn(`SLACK_GOVERNANCE_CHANNEL ${channel}: the bot is not in this channel, so announcements and polls cannot be posted there; type /invite and the bot's name in it`);
      }
    } catch (e) {
      logger.warn(`SLACK_GOVERNANCE_CHANNEL ${channel}: the bot cannot see this channel (${slackAnswer(e)}); check the id, and invite the bot to it`);
    }
  }

  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  /** Checks the token, then starts receiving (HTTP server or Socket Mode connection). */
  async function connect(): Promise<{ port?: number }> {
    try {
      await bolt.init();
    } catch (e) {
      if (unreachable(e)) throw e;
      throw new StartupError('SLACK_BOT_TOKEN', `Slack refused the bot token (${slackAnswer(e)}). Copy the Bot User OAuth Token (xoxb-…) of the installed app.`);
    }
    await checkGovernanceChannel();
    track(names.backfill().catch((e: unknown) => logger.warn('slack name lookup failed', { error: String(e) })));
    if (socketMode) {
      try {
        await bolt.start();
      } catch (e) {
        if (unreachable(e)) throw e;
        throw new StartupError('SLACK_APP_TOKEN', `Slack refused to open a Socket Mode connection (${slackAnswer(e)}). Use an app-level token (xapp-…) with the connections:write scope.`);
      }
      logger.info('slack adapter started in Socket Mode');
      return {};
    }
    await bolt.start(settings.port);
    const port = frontDoor?.port ?? settings.port;
    logger.info('slack adapter listening', { port, path: '/slack/events' });
    return { port };
  }

  /**
   * Slack out of reach (network down, DNS, a proxy restarting, Slack's own 5xx): try again
   * with capped, jittered backoff while the rest of the bot runs; /healthz says degraded.
   */
  function retryLater(attempt: number, e: unknown): void {
    const wait = backoffMs(attempt, o.retryBaseMs);
    // One line when it starts (Health logs each change), not one per attempt.
    core.health.degraded('slack', `Slack cannot be reached (${slackAnswer(e)}); trying again`);
    retry = setTimeout(() => {
      retry = undefined;
      if (stopped) return;
      connect().then(
        () => {
          core.health.recovered('slack');
          logger.info('slack reached again', { attempts: attempt + 2 });
        },
        (again: unknown) => {
          if (stopped) return;
          if (again instanceof StartupError) {
            // Reached, and refused: no retry fixes that. Logged once; the other parts keep running.
            logger.error(again.message);
            core.health.degraded('slack', again.message);
            return;
          }
          retryLater(attempt + 1, again);
        },
      );
    }, wait);
  }

  return {
    notifier,
    async start() {
      try {
        return await connect();
      } catch (e) {
        if (e instanceof StartupError) throw e;
        if (!unreachable(e)) throw e;
        retryLater(0, e);
        return {};
      }
    },
    idle,
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await bolt.stop().catch(() => undefined);
      await idle();
      await notifier.flush();
    },
  };
}

/**
 * The Socket Mode receiver, with Web API settings of its own (retries with backoff for
 * apps.connections.open) and a supervisor on its reconnects: the client reopens the
 * connection after a `disconnect` message or a dropped socket, but a reopen that fails
 * after its retries would end in a rejection nobody handles and a bot that hears nothing.
 * Here it is logged with its context and tried again later, for as long as it takes.
 */
function socketModeReceiver(o: SlackAdapterOptions, logger: BoltLogger): SocketModeReceiver {
  const clientOptions: WebClientOptions = {
    slackApiUrl: o.settings.apiUrl,
    retryConfig: { retries: 8, factor: 2, minTimeout: o.retryBaseMs ?? 1000, maxTimeout: 30_000, randomize: true },
  };
  const installerOptions: { clientOptions: WebClientOptions } = { clientOptions };
  const receiver = new SocketModeReceiver({
    appToken: o.settings.appToken ?? '',
    logger,
    installerOptions,
    ...(o.socketPingTimeoutMs ? { clientPingTimeout: o.socketPingTimeoutMs, serverPingTimeout: o.socketPingTimeoutMs * 6 } : {}),
  });
  const client = receiver.client;
  const firstStart = client.start.bind(client);
  let connected = false;
  let failures = 0;
  const start = async (): Promise<AppsConnectionsOpenResponse> => {
    try {
      const opened = await firstStart();
      connected = true;
      if (failures > 0) {
        o.core.health.recovered('slack');
        o.logger.info('slack socket mode reconnected', { failures });
      }
      failures = 0;
      return opened;
    } catch (e) {
      if (!connected) throw e; // the first start: the adapter decides (refused or unreachable)
      failures++;
      const wait = backoffMs(failures, o.retryBaseMs);
      o.core.health.degraded('slack', `Socket Mode cannot reconnect (${slackAnswer(e)}); trying again`);
      o.logger.warn('slack socket mode reconnect failed; trying again', { answer: slackAnswer(e), failures, retryInMs: Math.round(wait) });
      await new Promise((r) => setTimeout(r, wait));
      return start();
    }
  };
  // The client reads `this.start` when it reconnects: this wrapper is what it calls.
  client.start = start;
  return receiver;
}

/** No answer from Slack at all, or its servers failing: worth trying again later. */
function unreachable(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  if (code === 'slack_webapi_request_error') return true;
  if (code === 'slack_webapi_http_error') return ((e as { statusCode?: unknown }).statusCode as number) >= 500;
  return false;
}

/** Slack's answers when the bot may not post in a channel. */
const CANNOT_POST = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action', 'ekm_access_denied']);

export { callSlack };
